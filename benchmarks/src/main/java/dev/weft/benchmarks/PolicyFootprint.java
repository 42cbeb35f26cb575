package dev.weft.benchmarks;

import dev.weft.policy.ClientOutbound;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.Workload;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What the policy of a large mesh costs: the time to compile 1,000 and 10,000 services (10
 * endpoints each, 1,000 PeerAuthentications and 1,000 DestinationRules) into every workload's
 * inbound decisions and one client's routes, and the heap the result keeps (used heap after full
 * collections, with and without it). The lookups themselves are in {@code
 * PolicyResolverBenchmark} (JMH).
 */
public final class PolicyFootprint {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private final int repetitions;

  public PolicyFootprint(int repetitions) {
    this.repetitions = repetitions;
  }

  public void run(Report report) {
    Report.Table table = report.table("Policy of a large mesh: 10 endpoints per service, 1,000"
        + " PeerAuthentications, 1,000 DestinationRules", "services", "compile ms",
        "retained MB", "retained per endpoint, bytes");
    for (int services : List.of(1_000, 10_000)) {
      report.progress("policy of " + services + " services");
      SyntheticMesh mesh = new SyntheticMesh(services, 10, 1000, 1000);
      List<Double> millis = new ArrayList<>();
      List<Double> megabytes = new ArrayList<>();
      for (int rep = 0; rep < repetitions + 1; rep++) {
        long before = usedAfterGc();
        long start = System.nanoTime();
        Compiled compiled = compile(mesh);
        long elapsed = System.nanoTime() - start;
        long after = usedAfterGc();
        if (rep > 0) {
          millis.add(elapsed / 1e6);
          megabytes.add((after - before) / 1e6);
        }
        // The result must still be held when the heap is measured.
        Reference.reachabilityFence(compiled);
      }
      double median = Report.median(megabytes);
      table.row(String.format("%,d", services), Report.spread(millis, v -> v),
          Report.spread(megabytes, v -> v),
          String.format("%.0f", median * 1e6 / (services * 10.0)));
    }
    table.print();
  }

  /** Everything resolved, held together: every workload's inbound and one client's routes. */
  private record Compiled(ResolvedPolicy policy, List<Object> inbound, ClientOutbound outbound) {}

  private static Compiled compile(SyntheticMesh mesh) {
    ResolvedPolicy policy = PolicyResolver.resolve(mesh.resources, mesh.workloads);
    List<Object> inbound = new ArrayList<>();
    for (Workload workload : mesh.workloads) {
      inbound.add(policy.inbound(workload));
    }
    return new Compiled(policy, inbound, policy.outbound(mesh.client));
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
