package dev.weft.benchmarks.grpc;

import dev.weft.benchmarks.ClosedLoop;
import dev.weft.benchmarks.LoadResult;
import dev.weft.benchmarks.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * gRPC over one channel from {@code concurrency} callers, unary calls of 1 KB and server
 * streams of 1 KB messages, every mode of {@link GrpcTestbed} side by side: each repetition
 * runs every mode once, in turn, so drift of the machine falls on all of them alike; ratios are
 * taken within a repetition, then their median over the repetitions.
 */
public final class GrpcBenchmark {
  private final int concurrency;
  private final Duration warmup;
  private final Duration measure;
  private final int repetitions;
  private final Map<GrpcWorkload, Map<GrpcMode, List<LoadResult>>> results =
      new EnumMap<>(GrpcWorkload.class);

  public GrpcBenchmark(int concurrency, Duration warmup, Duration measure, int repetitions) {
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.measure = measure;
    this.repetitions = repetitions;
  }

  public void run(Report report) throws Exception {
    try (GrpcTestbed testbed = GrpcTestbed.start()) {
      for (GrpcWorkload workload : GrpcWorkload.values()) {
        Map<GrpcMode, List<LoadResult>> byMode = new EnumMap<>(GrpcMode.class);
        results.put(workload, byMode);
        for (GrpcMode mode : GrpcMode.values()) {
          byMode.put(mode, new ArrayList<>());
          ClosedLoop.run(workload.call(testbed.channel(mode)), concurrency, warmup);
        }
        for (int rep = 1; rep <= repetitions; rep++) {
          report.progress("gRPC " + workload.label() + ": repetition " + rep + " of "
              + repetitions);
          for (GrpcMode mode : GrpcMode.values()) {
            byMode.get(mode).add(
                ClosedLoop.run(workload.call(testbed.channel(mode)), concurrency, measure));
          }
        }
      }
    }
    print(report);
  }

  private void print(Report report) {
    for (GrpcWorkload workload : GrpcWorkload.values()) {
      int answers = workload.answers();
      Report.Table table = report.table("gRPC " + workload.label() + ", one channel, "
          + concurrency + " concurrent callers (grpc-netty-shaded)", "mode", "calls/s",
          "messages/s", "p50 µs/call", "p99 µs/call", "CPU µs/message", "failed",
          "calls/s ÷ " + GrpcMode.TLS.label());
      for (GrpcMode mode : GrpcMode.values()) {
        List<LoadResult> runs = results.get(workload).get(mode);
        table.row(mode.label(), Report.spread(runs, LoadResult::throughput),
            Report.spread(runs, run -> run.throughput() * answers),
            Report.spread(runs, LoadResult::p50Micros), Report.spread(runs, LoadResult::p99Micros),
            Report.spread(runs, run -> run.cpuMicros() / answers),
            Long.toString(runs.stream().mapToLong(LoadResult::failures).sum()),
            Report.spread(throughputVsTls(workload, mode), Double::doubleValue));
      }
      table.print();
    }
    report.ratio("grpc_unary_throughput_vs_tls", throughputVsTls(GrpcWorkload.UNARY,
        GrpcMode.WEFT), GrpcMode.WEFT.label() + " / " + GrpcMode.TLS.label());
  }

  /** Calls/s of {@code mode} over those of grpc TLS, per repetition. */
  private List<Double> throughputVsTls(GrpcWorkload workload, GrpcMode mode) {
    return Report.pairedRatios(results.get(workload).get(mode),
        results.get(workload).get(GrpcMode.TLS), LoadResult::throughput);
  }
}
