package dev.weft.benchmarks.grpc;

import dev.weft.benchmarks.ClosedLoop;
import dev.weft.benchmarks.LoadResult;
import dev.weft.benchmarks.LoopbackPorts;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

  private final int concurrency;
  private final Duration warmup;
  private final Duration measure;
  private final int repetitions;
  private final Map<Mode, List<LoadResult>> runs = new EnumMap<>(Mode.class);

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
      int weftPort = LoopbackPorts.free();
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
        ClosedLoop.run(call(channels.get(mode)), concurrency, warmup);
      }
      for (int rep = 1; rep <= repetitions; rep++) {
        report.progress("gRPC unary 1 KB: repetition " + rep + " of " + repetitions);
        for (Mode mode : Mode.values()) {
          runs.get(mode).add(ClosedLoop.run(call(channels.get(mode)), concurrency, measure));
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
        + " concurrent callers (grpc-netty-shaded)", "mode", "calls/s", "p50 µs", "p99 µs",
        "CPU µs/call", "failed");
    for (Mode mode : Mode.values()) {
      List<LoadResult> values = runs.get(mode);
      table.row(mode.label, Report.spread(values, LoadResult::throughput),
          Report.spread(values, LoadResult::p50Micros),
          Report.spread(values, LoadResult::p99Micros),
          Report.spread(values, LoadResult::cpuMicros),
          Long.toString(values.stream().mapToLong(LoadResult::failures).sum()));
    }
    table.print();
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < repetitions; i++) {
      ratios.add(runs.get(Mode.WEFT).get(i).throughput() / runs.get(Mode.TLS).get(i).throughput());
    }
    report.ratio("grpc_unary_throughput_vs_tls", ratios, Mode.WEFT.label + " / " + Mode.TLS.label);
  }

  /** A unary call of 1 KB on {@code channel}. */
  private static ClosedLoop.Call call(ManagedChannel channel) {
    return () -> ClientCalls.blockingUnaryCall(channel, Echo.UNARY, CallOptions.DEFAULT, PAYLOAD)
        .length == PAYLOAD.length;
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
}
