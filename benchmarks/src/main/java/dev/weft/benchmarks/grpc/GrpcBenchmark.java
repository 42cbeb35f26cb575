package dev.weft.benchmarks.grpc;

import dev.weft.benchmarks.ClosedLoop;
import dev.weft.benchmarks.LoadResult;
import dev.weft.benchmarks.Report;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * gRPC unary calls of 1 KB, one channel, {@code concurrency} blocking callers, every mode of
 * {@link GrpcTestbed} side by side: each repetition runs every mode once, in turn.
 */
public final class GrpcBenchmark {
  private static final byte[] PAYLOAD = new byte[1024];

  private final int concurrency;
  private final Duration warmup;
  private final Duration measure;
  private final int repetitions;
  private final Map<GrpcMode, List<LoadResult>> runs = new EnumMap<>(GrpcMode.class);

  public GrpcBenchmark(int concurrency, Duration warmup, Duration measure, int repetitions) {
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.measure = measure;
    this.repetitions = repetitions;
  }

  public void run(Report report) throws Exception {
    try (GrpcTestbed testbed = GrpcTestbed.start()) {
      for (GrpcMode mode : GrpcMode.values()) {
        runs.put(mode, new ArrayList<>());
        ClosedLoop.run(call(testbed.channel(mode)), concurrency, warmup);
      }
      for (int rep = 1; rep <= repetitions; rep++) {
        report.progress("gRPC unary 1 KB: repetition " + rep + " of " + repetitions);
        for (GrpcMode mode : GrpcMode.values()) {
          runs.get(mode).add(ClosedLoop.run(call(testbed.channel(mode)), concurrency, measure));
        }
      }
    }
    print(report);
  }

  private void print(Report report) {
    Report.Table table = report.table("gRPC unary, 1 KB, one channel, " + concurrency
        + " concurrent callers (grpc-netty-shaded)", "mode", "calls/s", "p50 µs", "p99 µs",
        "CPU µs/call", "failed");
    for (GrpcMode mode : GrpcMode.values()) {
      List<LoadResult> values = runs.get(mode);
      table.row(mode.label(), Report.spread(values, LoadResult::throughput),
          Report.spread(values, LoadResult::p50Micros),
          Report.spread(values, LoadResult::p99Micros),
          Report.spread(values, LoadResult::cpuMicros),
          Long.toString(values.stream().mapToLong(LoadResult::failures).sum()));
    }
    table.print();
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      ratios.add(runs.get(GrpcMode.WEFT).get(i).throughput()
          / runs.get(GrpcMode.TLS).get(i).throughput());
    }
    report.ratio("grpc_unary_throughput_vs_tls", ratios,
        GrpcMode.WEFT.label() + " / " + GrpcMode.TLS.label());
  }

  /** A unary call of 1 KB on {@code channel}. */
  private static ClosedLoop.Call call(Channel channel) {
    return () -> ClientCalls.blockingUnaryCall(channel, Echo.UNARY, CallOptions.DEFAULT, PAYLOAD)
        .length == PAYLOAD.length;
  }
}
