package dev.weft.benchmarks;

import dev.weft.config.ConfigLoadResult;
import dev.weft.config.ConfigLoader;
import dev.weft.controlplane.ControlPlane;
import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MeshResources;
import dev.weft.policy.MtlsMode;
import dev.weft.testing.MeshYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * From a configuration change on the Weft control plane to each of N workloads applying it:
 * N real workloads ({@code Mesh}, each with its own certificate and ADS stream over TLS) serve
 * a port in one namespace, whose PeerAuthentication flips between STRICT and PERMISSIVE; each
 * workload's policy listener marks when its new policy is in force (it has ACKed it by then).
 */
public final class ControlPlaneConvergence {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<Integer> workloadCounts;
  private final int changes;

  public ControlPlaneConvergence(List<Integer> workloadCounts, int changes) {
    this.workloadCounts = List.copyOf(workloadCounts);
    this.changes = changes;
  }

  public void run(Report report) throws Exception {
    Report.Table table = report.table("Config change on the Weft control plane to applied by"
        + " every workload (" + changes + " changes each; debounce 10 ms)", "workloads",
        "p50 ms", "p99 ms", "max ms");
    Path dir = Files.createTempDirectory("weft-bench-cp");
    MeshResources strict = resources(MtlsMode.STRICT);
    MeshResources permissive = resources(MtlsMode.PERMISSIVE);
    for (int count : workloadCounts) {
      report.progress("control plane: " + count + " workloads");
      long[] latencies = measure(dir, count, strict, permissive);
      table.row(Integer.toString(count), millis(latencies, 0.50), millis(latencies, 0.99),
          millis(latencies, 1.0));
    }
    table.print();
  }

  private long[] measure(Path dir, int count, MeshResources strict, MeshResources permissive)
      throws Exception {
    List<Long> latencies = new ArrayList<>();
    List<Mesh> meshes = new ArrayList<>();
    AtomicReference<Round> round = new AtomicReference<>();
    try (ControlPlane controlPlane = ControlPlane.newBuilder().resources(permissive).port(0)
        .registrationGrace(Duration.ofMillis(200)).debounce(Duration.ofMillis(10))
        .build().start()) {
      for (int i = 0; i < count; i++) {
        meshes.add(join(controlPlane, dir, "w-" + i, round));
      }
      if (!controlPlane.awaitInSync(WAIT)) {
        throw new IllegalStateException(count + " workloads did not get in sync in " + WAIT);
      }
      for (int change = 0; change < changes; change++) {
        MeshResources next = change % 2 == 0 ? strict : permissive;
        MtlsMode expected = change % 2 == 0 ? MtlsMode.STRICT : MtlsMode.PERMISSIVE;
        Round current = new Round(meshes.size(), expected);
        round.set(current);
        current.start = System.nanoTime();
        controlPlane.update(next);
        if (!current.done.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          List<String> behind = new ArrayList<>();
          for (int i = 0; i < meshes.size(); i++) {
            if (!current.applied[i]) {
              behind.add("w-" + i + " " + meshes.get(i).inboundPolicy(80));
            }
          }
          throw new IllegalStateException("not every workload applied change " + change
              + " to " + expected + " within " + WAIT.toSeconds() + " s: " + behind
              + "; control plane: " + controlPlane.status());
        }
        for (long at : current.appliedAt) {
          latencies.add(at - current.start);
        }
      }
    } finally {
      meshes.forEach(Mesh::close);
    }
    return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** One change: when each workload had it in force. */
  private static final class Round {
    final long[] appliedAt;
    final boolean[] applied;
    final CountDownLatch done;
    final MtlsMode expected;
    volatile long start;

    Round(int workloads, MtlsMode expected) {
      this.appliedAt = new long[workloads];
      this.applied = new boolean[workloads];
      this.done = new CountDownLatch(workloads);
      this.expected = expected;
    }

    synchronized void applied(int workload, MtlsMode mode) {
      if (mode == expected && !applied[workload]) {
        applied[workload] = true;
        appliedAt[workload] = System.nanoTime();
        done.countDown();
      }
    }
  }

  private static Mesh join(ControlPlane controlPlane, Path dir, String name,
      AtomicReference<Round> round) throws IOException {
    SpiffeId identity = SpiffeId.forServiceAccount(
        controlPlane.certificateAuthority().trustDomain(), "bench", name);
    Path token = dir.resolve(name + ".token");
    controlPlane.tokens().writeTokenFile(identity, token);
    Mesh mesh = Mesh.builder().namespace("bench").serviceAccount(name)
        .labels(java.util.Map.of("app", name)).servePort(80)
        .controlPlane("127.0.0.1:" + controlPlane.port())
        .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
        .tokenFile(token).trustDomain(controlPlane.certificateAuthority().trustDomain())
        .startupTimeout(WAIT).build().start();
    int index = Integer.parseInt(name.substring(2));
    mesh.addListener(() -> {
      Round current = round.get();
      if (current != null) {
        mesh.inboundPolicy(80).ifPresent(policy -> current.applied(index, policy.mode()));
      }
    });
    return mesh;
  }

  private static MeshResources resources(MtlsMode mode) {
    ConfigLoadResult loaded = new ConfigLoader().load(
        MeshYaml.namespacePeerAuthentication("bench", mode), "the benchmark's " + mode);
    if (loaded.hasErrors()) {
      throw new IllegalStateException("the benchmark's own configuration has errors: "
          + loaded.errors());
    }
    return loaded.resources();
  }

  private static String millis(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return "-";
    }
    int index = Math.min(sortedNanos.length - 1,
        Math.max(0, (int) Math.ceil(q * sortedNanos.length) - 1));
    return String.format(java.util.Locale.ROOT, "%.1f", sortedNanos[index] / 1e6);
  }
}
