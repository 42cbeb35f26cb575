package dev.weft.benchmarks.grpc;

import dev.weft.benchmarks.Report;
import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.internal.Pem;
import dev.weft.grpc.WeftGrpc;
import dev.weft.mesh.Mesh;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ClientCalls;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * gRPC unary calls of 1 KB, one channel, {@code concurrency} blocking callers: grpc-java's own
 * TLS and mTLS credentials (a hand-configured certificate for {@code localhost}) against Weft's
 * credentials under STRICT, interleaved.
 */
public final class GrpcBenchmark {
  private static final byte[] PAYLOAD = new byte[1024];

  private enum Mode {
    TLS("grpc TLS"), MTLS("grpc mTLS"), WEFT("Weft credentials, STRICT (mTLS)");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /** One run: calls per second and latency percentiles in microseconds. */
  private record Run(double throughput, double p50, double p99) {}

  private final int concurrency;
  private final Duration warmup;
  private final Duration measure;
  private final int repetitions;
  private final Map<Mode, List<Run>> runs = new EnumMap<>(Mode.class);

  public GrpcBenchmark(int concurrency, Duration warmup, Duration measure, int repetitions) {
    this.concurrency = concurrency;
    this.warmup = warmup;
    this.measure = measure;
    this.repetitions = repetitions;
  }

  public void run(Report report) throws Exception {
    Path folder = Files.createTempDirectory("weft-bench-grpc");
    List<AutoCloseable> closeables = new ArrayList<>();
    Map<Mode, ManagedChannel> channels = new EnumMap<>(Mode.class);
    try {
      int weftPort = freePort();
      Files.writeString(folder.resolve("mesh.yaml"), """
          apiVersion: v1
          kind: Service
          metadata: {name: echo, namespace: bar}
          spec:
            selector: {app: echo}
            ports: [{name: grpc, port: 8080, targetPort: 80}]
          ---
          apiVersion: networking.istio.io/v1
          kind: WorkloadEntry
          metadata: {name: echo-1, namespace: bar}
          spec:
            address: 127.0.0.1
            labels: {app: echo, security.istio.io/tlsMode: istio}
            serviceAccount: echo
            ports: {grpc: %d}
          ---
          apiVersion: security.istio.io/v1
          kind: PeerAuthentication
          metadata: {name: echo, namespace: bar}
          spec:
            selector: {matchLabels: {app: echo}}
            mtls: {mode: STRICT}
          """.formatted(weftPort));
      Mesh echo = Mesh.builder().namespace("bar").serviceAccount("echo")
          .labels(Map.of("app", "echo")).servePort(80).localConfig(folder)
          .startupTimeout(Duration.ofSeconds(30)).build().start();
      closeables.add(echo);
      Mesh sleep = Mesh.builder().namespace("foo").serviceAccount("sleep").localConfig(folder)
          .startupTimeout(Duration.ofSeconds(30)).build().start();
      closeables.add(sleep);
      CertificateSnapshot client = sleep.certificates().current();
      SelfSignedCertificate localhost = new SelfSignedCertificate("localhost", "EC", 256);

      Server tls = serve(0, TlsServerCredentials.newBuilder()
          .keyManager(localhost.certificate(), localhost.privateKey()).build(), closeables);
      Server mtls = serve(0, TlsServerCredentials.newBuilder()
          .keyManager(localhost.certificate(), localhost.privateKey())
          .trustManager(pem(Pem.write(client.trustBundles().allRoots())))
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build(), closeables);
      serve(weftPort, WeftGrpc.serverCredentials(echo, 80), closeables);

      channels.put(Mode.TLS, channel("localhost:" + tls.getPort(),
          TlsChannelCredentials.newBuilder().trustManager(localhost.certificate()).build()));
      channels.put(Mode.MTLS, channel("localhost:" + mtls.getPort(),
          TlsChannelCredentials.newBuilder().trustManager(localhost.certificate())
              .keyManager(pem(Pem.write(client.chain())), pem(Pem.write(client.privateKey())))
              .build()));
      channels.put(Mode.WEFT, WeftGrpc.newChannelBuilder(sleep, "echo.bar:8080").build());

      for (Mode mode : Mode.values()) {
        runs.put(mode, new ArrayList<>());
        load(channels.get(mode), warmup);
      }
      for (int rep = 1; rep <= repetitions; rep++) {
        report.progress("gRPC unary 1 KB: repetition " + rep + " of " + repetitions);
        for (Mode mode : Mode.values()) {
          runs.get(mode).add(load(channels.get(mode), measure));
        }
      }
    } finally {
      channels.values().forEach(ManagedChannel::shutdownNow);
      for (int i = closeables.size() - 1; i >= 0; i--) {
        closeables.get(i).close();
      }
    }
    print(report);
  }

  private void print(Report report) {
    Report.Table table = report.table("gRPC unary, 1 KB, one channel, " + concurrency
        + " concurrent callers (grpc-netty-shaded)", "mode", "calls/s", "p50 µs", "p99 µs");
    for (Mode mode : Mode.values()) {
      List<Run> values = runs.get(mode);
      table.row(mode.label, Report.spread(values, Run::throughput),
          Report.spread(values, Run::p50), Report.spread(values, Run::p99));
    }
    table.print();
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      ratios.add(runs.get(Mode.WEFT).get(i).throughput() / runs.get(Mode.TLS).get(i).throughput());
    }
    report.ratio("grpc_unary_throughput_vs_tls", ratios, Mode.WEFT.label + " / " + Mode.TLS.label);
  }

  private Run load(ManagedChannel channel, Duration time) throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      long deadline = start + time.toNanos();
      List<Future<long[]>> futures = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        futures.add(callers.submit(() -> {
          long[] latencies = new long[1 << 14];
          int count = 0;
          while (System.nanoTime() < deadline) {
            long t0 = System.nanoTime();
            ClientCalls.blockingUnaryCall(channel, Echo.UNARY, CallOptions.DEFAULT, PAYLOAD);
            if (count == latencies.length) {
              latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = System.nanoTime() - t0;
          }
          return Arrays.copyOf(latencies, count);
        }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> future : futures) {
        all.add(future.get());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      return new Run(merged.length / seconds, percentile(merged, 0.5) / 1e3,
          percentile(merged, 0.99) / 1e3);
    } finally {
      callers.shutdownNow();
    }
  }

  private static double percentile(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static Server serve(int port, ServerCredentials credentials,
      List<AutoCloseable> closeables) throws IOException {
    Server server = Grpc.newServerBuilderForPort(port, credentials)
        .addService(Echo.service()).build().start();
    closeables.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return server;
  }

  private static InputStream pem(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static ManagedChannel channel(String target, ChannelCredentials credentials) {
    return Grpc.newChannelBuilder(target, credentials).build();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
