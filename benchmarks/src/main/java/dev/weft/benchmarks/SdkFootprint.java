package dev.weft.benchmarks;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The heap the SDK of one workload holds when it routes to every Service of a large mesh (10
 * endpoints per service, 1,000 PeerAuthentications, 1,000 DestinationRules): a {@code Mesh}
 * joins, asks for the route to every Service, and waits until it has them all; the retained heap
 * is the used heap after full collections then, less before joining. Against the Weft control
 * plane, the control plane runs in a JVM of its own, so only the workload's side is counted.
 */
public final class SdkFootprint {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final int ENDPOINTS = 10;
  private static final Duration WAIT = Duration.ofMinutes(5);

  private final List<Integer> serviceCounts;

  public SdkFootprint(List<Integer> serviceCounts) {
    this.serviceCounts = List.copyOf(serviceCounts);
  }

  public void run(Report report) throws Exception {
    Report.Table table = report.table("SDK heap of one workload routing to every Service: "
        + ENDPOINTS + " endpoints per service, 1,000 PeerAuthentications, 1,000"
        + " DestinationRules", "policy from", "services", "endpoints", "every route s",
        "retained MB");
    for (int services : serviceCounts) {
      report.progress("SDK routing to " + services + " services of the Weft control plane");
      Measured measured = againstControlPlane(services);
      table.row("Weft control plane", String.format("%,d", services),
          String.format("%,d", services * ENDPOINTS), String.format("%.1f", measured.seconds()),
          String.format("%.1f", measured.megabytes()));
    }
    table.print();
  }

  /** How long until every route was present, and the heap retained then. */
  private record Measured(double seconds, double megabytes) {}

  private Measured againstControlPlane(int services) throws Exception {
    try (ControlPlaneProcess controlPlane = ControlPlaneProcess.start(
        SyntheticControlPlane.class, List.of(Integer.toString(services),
            Integer.toString(ENDPOINTS), "1000", "1000"), WAIT)) {
      List<String> hosts = SyntheticMesh.hosts(services);
      long before = usedAfterGc();
      long start = System.nanoTime();
      try (Mesh mesh = Mesh.builder().namespace(SyntheticMesh.CLIENT_NAMESPACE)
          .serviceAccount(SyntheticMesh.CLIENT).labels(Map.of("app", SyntheticMesh.CLIENT))
          .controlPlane("127.0.0.1:" + controlPlane.port())
          .rootCertificates(controlPlane.rootCertificates())
          .tokenFile(controlPlane.tokenFile()).trustDomain(controlPlane.trustDomain())
          .startupTimeout(WAIT).build().start()) {
        routeToEvery(mesh, hosts);
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = usedAfterGc();
        Reference.reachabilityFence(mesh);
        return new Measured(seconds, (after - before) / 1e6);
      }
    }
  }

  /** Asks for the route to every host, then waits until every one is there. */
  private static void routeToEvery(Mesh mesh, List<String> hosts) throws InterruptedException {
    for (String host : hosts) {
      mesh.outboundRoute(host, SyntheticMesh.SERVICE_PORT);
    }
    Instant deadline = Instant.now().plus(WAIT);
    List<String> missing = new ArrayList<>();
    for (String host : hosts) {
      Duration left = Duration.between(Instant.now(), deadline);
      Optional<OutboundRoute> route = mesh.awaitOutboundRoute(host, SyntheticMesh.SERVICE_PORT,
          left.isNegative() ? Duration.ZERO : left);
      if (route.isEmpty()) {
        missing.add(host);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(missing.size() + " of " + hosts.size()
          + " routes were missing after " + WAIT + ", among them "
          + missing.subList(0, Math.min(5, missing.size())));
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
