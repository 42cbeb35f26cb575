package dev.weft.benchmarks;

import dev.weft.benchmarks.grpc.GrpcBenchmark;
import dev.weft.benchmarks.http.HttpBenchmark;
import dev.weft.benchmarks.tls.HandshakeBenchmark;
import java.time.Duration;
import java.util.List;

/**
 * {@code weft bench}: Weft against the plain stacks, side by side in one process and one run.
 * {@code --quick} is a reduced run (a few minutes on two cores).
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    List<String> options = List.of(args);
    for (String option : options) {
      if (!option.equals("--quick")) {
        System.err.println("weft bench: unknown option " + option + "; say --quick or nothing");
        System.exit(2);
      }
    }
    boolean quick = options.contains("--quick");
    Report report = new Report(System.out, System.err);
    System.out.printf("Weft benchmarks (%s run), Java %s, %d processors, Netty's TLS provider: %s%n",
        quick ? "quick" : "full", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        io.netty.handler.ssl.SslContext.defaultServerProvider());
    HttpBenchmark http = quick
        ? new HttpBenchmark(8, Duration.ofSeconds(3), Duration.ofSeconds(3), 3)
        : new HttpBenchmark(8, Duration.ofSeconds(15), Duration.ofSeconds(10), 5);
    http.run(report);
    // Quick gRPC runs are shorter than HTTP's: four modes, two workloads.
    GrpcBenchmark grpc = quick
        ? new GrpcBenchmark(8, Duration.ofSeconds(2), Duration.ofSeconds(2), 3)
        : new GrpcBenchmark(8, Duration.ofSeconds(15), Duration.ofSeconds(10), 5);
    grpc.run(report);
    HandshakeBenchmark handshakes = quick
        ? new HandshakeBenchmark(Duration.ofSeconds(5), Duration.ofSeconds(3), 3)
        : new HandshakeBenchmark(Duration.ofSeconds(15), Duration.ofSeconds(10), 5);
    handshakes.run(report);
    new PolicyFootprint(quick ? 2 : 5).run(report);
    new ControlPlaneConvergence(List.of(10, 100, 500), quick ? 10 : 30).run(report);
    new SdkFootprint(List.of(1_000, 10_000)).run(report);
    report.printRatios();
  }
}
