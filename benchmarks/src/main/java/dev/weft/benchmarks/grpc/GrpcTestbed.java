package dev.weft.benchmarks.grpc;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.namespacePeerAuthentication;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;

import dev.weft.benchmarks.LoopbackPorts;
import dev.weft.cert.CertificateSnapshot;
import dev.weft.cert.internal.Pem;
import dev.weft.grpc.GrpcXds;
import dev.weft.grpc.WeftGrpc;
import dev.weft.mesh.Mesh;
import dev.weft.testing.MeshYaml;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
 * Every server and channel the gRPC benchmark compares, in one process on loopback: grpc-java's
 * TLS and mTLS credentials with a hand-configured certificate for {@code localhost}, Weft's
 * credentials under STRICT, and grpc-java's own xDS on a Weft mesh ({@link GrpcXds}) under
 * STRICT, from a local mesh folder. Each mode has answered, with the caller identity its TLS
 * implies, before {@link #start} returns.
 *
 * <p>grpc-java reads its xDS bootstrap once per process, so there is one xDS mesh, and it both
 * serves and calls: a workload calling its own Service.
 */
final class GrpcTestbed implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<GrpcMode, ManagedChannel> channels = new EnumMap<>(GrpcMode.class);
  private final Path folder;

  private GrpcTestbed() throws IOException {
    folder = Files.createTempDirectory("weft-bench-grpc");
  }

  /** Starts every mode's server and channel, and checks each answers as it should. */
  static GrpcTestbed start() throws Exception {
    GrpcTestbed testbed = new GrpcTestbed();
    try {
      testbed.startModes();
      return testbed;
    } catch (Exception | Error e) {
      testbed.close();
      throw e;
    }
  }

  ManagedChannel channel(GrpcMode mode) {
    return channels.get(mode);
  }

  private void startModes() throws Exception {
    int weftPort = LoopbackPorts.free();
    InetSocketAddress xdsAddress = new InetSocketAddress("127.0.0.1", LoopbackPorts.free());
    MeshYaml.write(folder,
        namespacePeerAuthentication("bar", "STRICT"),
        service("echo", "bar", "grpc", 8080, 80),
        workloadEntry("echo-1", "bar", "echo", "echo", "grpc", weftPort, true),
        service("echo-xds", "bar", "grpc", 8080, 9000),
        // grpc-java's xDS client has no auto mTLS: it uses mTLS where a DestinationRule says so.
        destinationRule("echo-xds", "bar", "echo-xds.bar.svc.cluster.local",
            "{tls: {mode: ISTIO_MUTUAL}}"));
    Mesh echo = join(Mesh.builder().namespace("bar").serviceAccount("echo")
        .labels(Map.of("app", "echo")).servePort(80));
    Mesh sleep = join(Mesh.builder().namespace("foo").serviceAccount("sleep"));
    Mesh echoXds = join(Mesh.builder().namespace("bar").serviceAccount("echo-xds")
        .labels(Map.of("app", "echo-xds")).servePort(9000, xdsAddress));
    CertificateSnapshot client = sleep.certificates().current();
    SelfSignedCertificate localhost = new SelfSignedCertificate("localhost", "EC", 256);

    Server tls = serve(Grpc.newServerBuilderForPort(0, TlsServerCredentials.newBuilder()
        .keyManager(localhost.certificate(), localhost.privateKey()).build()));
    Server mtls = serve(Grpc.newServerBuilderForPort(0, TlsServerCredentials.newBuilder()
        .keyManager(localhost.certificate(), localhost.privateKey())
        .trustManager(pem(Pem.write(client.trustBundles().allRoots())))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build()));
    serve(Grpc.newServerBuilderForPort(weftPort, WeftGrpc.serverCredentials(echo, 80)));
    closeables.add(GrpcXds.enable(echoXds));
    serve(XdsServerBuilder.forAddress(xdsAddress,
        XdsServerCredentials.create(InsecureServerCredentials.create())));

    open(GrpcMode.TLS, channel("localhost:" + tls.getPort(),
        TlsChannelCredentials.newBuilder().trustManager(localhost.certificate()).build()));
    open(GrpcMode.MTLS, channel("localhost:" + mtls.getPort(),
        TlsChannelCredentials.newBuilder().trustManager(localhost.certificate())
            .keyManager(pem(Pem.write(client.chain())), pem(Pem.write(client.privateKey())))
            .build()));
    open(GrpcMode.WEFT, WeftGrpc.newChannelBuilder(sleep, "echo.bar:8080").build());
    open(GrpcMode.XDS, channel("xds:///echo-xds.bar.svc.cluster.local:8080",
        XdsChannelCredentials.create(InsecureChannelCredentials.create())));

    String sleepIdentity = sleep.identity().toString();
    checkCaller(GrpcMode.TLS, CallerIdentity.NONE);
    checkCaller(GrpcMode.MTLS, sleepIdentity);
    checkCaller(GrpcMode.WEFT, sleepIdentity);
    checkCaller(GrpcMode.XDS, echoXds.identity().toString());
  }

  private Mesh join(Mesh.Builder builder) throws IOException {
    Mesh mesh = builder.localConfig(folder).startupTimeout(WAIT).build().start();
    closeables.add(mesh);
    return mesh;
  }

  private Server serve(ServerBuilder<?> builder) throws IOException {
    Server server = builder.addService(Echo.service()).addService(CallerIdentity.service())
        .build().start();
    closeables.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return server;
  }

  private void open(GrpcMode mode, ManagedChannel channel) {
    closeables.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    channels.put(mode, channel);
  }

  /** Fails unless {@code mode} answers within {@link #WAIT}, having seen {@code expected} call. */
  private void checkCaller(GrpcMode mode, String expected) {
    String seen;
    try {
      seen = CallerIdentity.seenBy(channels.get(mode), WAIT);
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(mode.label() + " did not answer within "
          + WAIT.toSeconds() + " s, calling " + channels.get(mode).authority() + ": "
          + e.getStatus(), e);
    }
    if (!seen.equals(expected)) {
      throw new IllegalStateException(mode.label() + ": the server saw the caller as " + seen
          + ", not " + expected + ", so the row would not measure what it says");
    }
  }

  private static InputStream pem(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static ManagedChannel channel(String target, ChannelCredentials credentials) {
    return Grpc.newChannelBuilder(target, credentials).build();
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }
}
