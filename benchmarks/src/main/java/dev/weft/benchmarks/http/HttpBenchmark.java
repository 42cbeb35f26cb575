package dev.weft.benchmarks.http;

import dev.weft.benchmarks.ClosedLoop;
import dev.weft.benchmarks.LoadResult;
import dev.weft.benchmarks.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToDoubleFunction;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Okio;

/**
 * HTTP through Netty and OkHttp, every mode side by side: each repetition runs every mode once,
 * in turn, so drift of the machine falls on all of them alike; ratios are taken within a
 * repetition, then their median over the repetitions.
 */
public final class HttpBenchmark {
  private final int concurrency;
  private final Duration warmup;
  private final Duration measure;
  private final int repetitions;
  private final Map<HttpWorkload, Map<HttpMode, List<LoadResult>>> results =
      new EnumMap<>(HttpWorkload.class);
  private final List<LoadResult> rotation = new ArrayList<>();
  private final List<LoadResult> flips = new ArrayList<>();

  /** A benchmark with {@code concurrency} callers, each run {@code measure} long. */
  public HttpBenchmark(int concurrency, Duration warmup, Duration measure, int repetitions) {
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.measure = measure;
    this.repetitions = repetitions;
  }

  /** Runs every workload in every mode, printing progress to {@code report}. */
  public void run(Report report) throws Exception {
    try (HttpTestbed testbed = new HttpTestbed(concurrency)) {
      for (HttpWorkload workload : HttpWorkload.values()) {
        Map<HttpMode, List<LoadResult>> byMode = new EnumMap<>(HttpMode.class);
        results.put(workload, byMode);
        for (HttpMode mode : HttpMode.values()) {
          byMode.put(mode, new ArrayList<>());
          ClosedLoop.run(call(testbed, mode, workload), concurrency, warmup);
        }
        for (int rep = 1; rep <= repetitions; rep++) {
          report.progress("HTTP " + workload.label() + ": repetition " + rep + " of "
              + repetitions);
          for (HttpMode mode : HttpMode.values()) {
            byMode.get(mode).add(
                ClosedLoop.run(call(testbed, mode, workload), concurrency, measure));
          }
        }
      }
      disruptions(testbed, report);
    }
    print(report);
  }

  /**
   * Load while what must not disturb it happens every half second: the servers' certificates
   * rotate, and the PERMISSIVE server's policy flips to STRICT and back (mesh mTLS callers stay
   * allowed). Every request must succeed.
   */
  private void disruptions(HttpTestbed testbed, Report report) throws Exception {
    report.progress("HTTP under certificate rotations and policy flips");
    ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor();
    try {
      events.scheduleAtFixedRate(testbed::rotateServerCertificates, 500, 500,
          TimeUnit.MILLISECONDS);
      rotation.add(ClosedLoop.run(call(testbed, HttpMode.WEFT_STRICT,
          HttpWorkload.KEEPALIVE_1KB), concurrency, measure));
      rotation.add(ClosedLoop.run(call(testbed, HttpMode.WEFT_STRICT,
          HttpWorkload.NEWCONN_1KB), concurrency, measure));
    } finally {
      events.shutdownNow();
    }
    ScheduledExecutorService flips = Executors.newSingleThreadScheduledExecutor();
    AtomicBoolean strict = new AtomicBoolean();
    try {
      flips.scheduleAtFixedRate(() -> testbed.flipPermissiveServer(
          strict.getAndSet(!strict.get()) ? "PERMISSIVE" : "STRICT"), 500, 500,
          TimeUnit.MILLISECONDS);
      this.flips.add(ClosedLoop.run(call(testbed, HttpMode.WEFT_PERMISSIVE_MTLS,
          HttpWorkload.KEEPALIVE_1KB), concurrency, measure));
      this.flips.add(ClosedLoop.run(call(testbed, HttpMode.WEFT_PERMISSIVE_MTLS,
          HttpWorkload.NEWCONN_1KB), concurrency, measure));
    } finally {
      flips.shutdownNow();
      testbed.flipPermissiveServer("PERMISSIVE");
    }
  }

  private void print(Report report) {
    for (HttpWorkload workload : HttpWorkload.values()) {
      Report.Table table = report.table("HTTP, " + workload.label() + ", " + concurrency
          + " concurrent callers (Netty server, OkHttp client)",
          "mode", "req/s", "p50 µs", "p99 µs", "CPU µs/req", "failed");
      for (HttpMode mode : HttpMode.values()) {
        List<LoadResult> runs = results.get(workload).get(mode);
        table.row(mode.label(), Report.spread(runs, LoadResult::throughput),
            Report.spread(runs, LoadResult::p50Micros), Report.spread(runs, LoadResult::p99Micros),
            Report.spread(runs, LoadResult::cpuMicros),
            Long.toString(runs.stream().mapToLong(LoadResult::failures).sum()));
      }
      table.print();
    }
    Report.Table disrupted = report.table("HTTP while every 0.5 s the Weft servers' certificates"
        + " rotate, or the PERMISSIVE server flips to STRICT and back (mTLS callers)",
        "event, workload", "requests", "failed (must be 0)");
    String[] workloads = {HttpWorkload.KEEPALIVE_1KB.label(), HttpWorkload.NEWCONN_1KB.label()};
    for (int i = 0; i < rotation.size(); i++) {
      disrupted.row("rotation, " + workloads[i], requests(rotation.get(i)),
          Long.toString(rotation.get(i).failures()));
    }
    for (int i = 0; i < flips.size(); i++) {
      disrupted.row("policy flips, " + workloads[i], requests(flips.get(i)),
          Long.toString(flips.get(i).failures()));
    }
    disrupted.print();
    ratio(report, "http_keepalive_throughput_vs_tls", HttpWorkload.KEEPALIVE_1KB,
        HttpMode.WEFT_STRICT, HttpMode.TLS, LoadResult::throughput);
    ratio(report, "http_keepalive_p99_vs_tls", HttpWorkload.KEEPALIVE_1KB,
        HttpMode.WEFT_STRICT, HttpMode.TLS, LoadResult::p99Micros);
    ratio(report, "http_newconn_throughput_vs_tls", HttpWorkload.NEWCONN_1KB,
        HttpMode.WEFT_STRICT, HttpMode.MTLS, LoadResult::throughput);
    ratio(report, "permissive_plaintext_throughput_vs_plain", HttpWorkload.KEEPALIVE_1KB,
        HttpMode.WEFT_PERMISSIVE_PLAINTEXT, HttpMode.PLAINTEXT, LoadResult::throughput);
  }

  private void ratio(Report report, String name, HttpWorkload workload, HttpMode weft,
      HttpMode plain, ToDoubleFunction<LoadResult> metric) {
    List<Double> ratios = Report.pairedRatios(results.get(workload).get(weft),
        results.get(workload).get(plain), metric);
    report.ratio(name, ratios, weft.label() + " / " + plain.label() + ", " + workload.label());
  }

  private String requests(LoadResult run) {
    return String.format("%,d", Math.round(run.throughput() * measure.toMillis() / 1000.0));
  }

  /** A GET of the workload's body from {@code mode}'s server, read to its end. */
  private static ClosedLoop.Call call(HttpTestbed testbed, HttpMode mode,
      HttpWorkload workload) {
    Request.Builder builder = new Request.Builder().url(testbed.url(mode, workload.path()));
    if (!workload.keepAlive()) {
      builder.header("Connection", "close");
    }
    Request request = builder.build();
    OkHttpClient client = testbed.client(mode);
    return () -> {
      try (Response response = client.newCall(request).execute()) {
        response.body().source().readAll(Okio.blackhole());
        return response.isSuccessful();
      }
    };
  }
}
