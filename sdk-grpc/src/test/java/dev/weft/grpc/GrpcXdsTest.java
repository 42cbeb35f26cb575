package dev.weft.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.StringValue;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.weft.config.ConfigLoader;
import dev.weft.controlplane.ControlPlane;
import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.tls.MeshKeyManager;
import dev.weft.tls.MeshTrustManager;
import dev.weft.tls.PeerAuthorizer;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * grpc-java's own xDS client and server, unmodified, on a Mesh joined to the Weft control plane
 * through {@link GrpcXds}: all in one class, because grpc-java reads its bootstrap once per
 * process. The xDS workload (bar/greeter) serves five Services with {@code XdsServerBuilder}
 * under STRICT and calls them with {@code xds:///} channels; a second workload (foo/sleep)
 * talks to it with Weft's credentials, and with plain grpc-java TLS built from its certificate.
 */
class GrpcXdsTest {
  private static final int SERVICES = 5;
  private static final int SLEEP_PORT = 7000;
  private static final SpiffeId GREETER = SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/greeter");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  private static final List<AutoCloseable> closeables = new ArrayList<>();
  private static final Set<Integer> serving = ConcurrentHashMap.newKeySet();
  private static final List<InetSocketAddress> greeterAddresses = new ArrayList<>();
  private static ControlPlane controlPlane;
  private static Path tokens;
  private static Mesh greeter;
  private static Mesh sleep;
  private static GrpcXds xds;
  private static Path certificateDirectory;

  @BeforeAll
  static void start() throws Exception {
    tokens = Files.createTempDirectory("weft-grpc-xds-test-");
    for (int i = 0; i < SERVICES; i++) {
      greeterAddresses.add(reserveLoopbackPort());
    }
    InetSocketAddress sleepAddress = reserveLoopbackPort();
    controlPlane = ControlPlane.newBuilder()
        .resources(new ConfigLoader().load(meshYaml(), "mesh.yaml").resources())
        .port(0)
        .registrationGrace(Duration.ofSeconds(1))
        .debounce(Duration.ofMillis(10))
        .build()
        .start();
    greeter = join("bar", "greeter", builder -> {
      for (int i = 0; i < SERVICES; i++) {
        builder.servePort(9000 + i, greeterAddresses.get(i));
      }
    });
    sleep = join("foo", "sleep", builder -> builder.servePort(SLEEP_PORT, sleepAddress));

    xds = GrpcXds.enable(greeter);
    certificateDirectory = Path.of(bootstrapCertificateFile()).getParent();
    for (int i = 0; i < SERVICES; i++) {
      startXdsGreeter(i);
    }
    startWeftGreeter(sleepAddress);
    await().atMost(Duration.ofSeconds(30)).until(() -> serving.size() == SERVICES);
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (xds != null) {
      xds.close();
      assertThat(certificateDirectory).as("removed on close").doesNotExist();
    }
    for (Mesh mesh : new Mesh[] {sleep, greeter}) {
      if (mesh != null) {
        mesh.close();
      }
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    try (Stream<Path> files = Files.walk(tokens)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  @Test
  void anXdsClientCallsAStrictXdsServerOverMtlsAndTheHandlerSeesItsSpiffeId() throws Exception {
    assertThat(identityOverXds("greeter0.bar.svc.cluster.local:8080"))
        .isEqualTo(GREETER.toString());
  }

  @Test
  void fiveXdsChannelsToFiveServicesWorkOverOneUpstreamStream() throws Exception {
    for (int i = 0; i < SERVICES; i++) {
      assertThat(identityOverXds("greeter" + i + ".bar.svc.cluster.local:8080"))
          .isEqualTo(GREETER.toString());
    }

    assertThat(streamsOf("bar", "greeter")).isEqualTo(1);
  }

  @Test
  void aPlainTlsClientWithMeshCertificatesCallsAnXdsServer() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress(greeterAddresses.get(1),
        meshTls(sleep)).overrideAuthority("greeter1.bar.svc.cluster.local").build();
    try {
      assertThat(identity(channel)).isEqualTo(SLEEP.toString());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anXdsServerUnderStrictRefusesAPlaintextClient() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress(greeterAddresses.get(2),
        InsecureChannelCredentials.create()).build();
    try {
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, TestGreeter.IDENTITY,
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("")))
          .isInstanceOf(StatusRuntimeException.class);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void anXdsClientCallsAWeftServerUnderStrictOverMtls() throws Exception {
    assertThat(identityOverXds("sleeper.foo.svc.cluster.local:7070"))
        .as("the Weft server saw the xDS client's certificate").isEqualTo(GREETER.toString());
  }

  @Test
  void aWeftClientCallsAnXdsServerUnderStrictOverMtls() throws Exception {
    ManagedChannel channel =
        WeftGrpc.newChannelBuilder(sleep, "greeter3.bar.svc.cluster.local:8080").build();
    try {
      assertThat(identity(channel)).isEqualTo(SLEEP.toString());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aResourceGrpcJavaRejectsIsLoggedAndOtherTargetsKeepWorking() throws Exception {
    Logger relayLog = (Logger) LoggerFactory.getLogger("dev.weft.grpc.xds.internal.RelayedAdsStream");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    relayLog.addAppender(logged);
    try {
      assertThatThrownBy(() -> identityOverXds("rejected.bar.svc.cluster.local:8080",
          Duration.ofSeconds(5))).isInstanceOf(StatusRuntimeException.class);

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(logged.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("rejected Cluster")
                .contains("ca_certificate_provider_instance or system_root_certs is required");
          }));
      assertThat(identityOverXds("greeter3.bar.svc.cluster.local:8080"))
          .isEqualTo(GREETER.toString());
      assertThat(streamsOf("bar", "greeter")).isEqualTo(1);
      assertThat(controlPlane.status().workloads()).allSatisfy(w ->
          assertThat(w.types().values()).allSatisfy(t -> assertThat(t.nackReason())
              .as("the mesh itself accepted what it was sent").isEmpty()));
    } finally {
      relayLog.detachAppender(logged);
    }
  }

  @Test
  void certificateFilesArePrivateAndARotationReachesGrpcJava() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificateDirectory)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(certificateDirectory.resolve("key.pem"))))
        .isEqualTo("rw-------");
    BigInteger before = greeter.certificates().current().leaf().getSerialNumber();
    assertThat(serialPresentedBy(greeterAddresses.get(4))).isEqualTo(before);

    greeter.certificates().refreshNow();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        !greeter.certificates().current().leaf().getSerialNumber().equals(before));
    BigInteger after = greeter.certificates().current().leaf().getSerialNumber();
    // file_watcher looks every GrpcXds.REFRESH_INTERVAL; a new handshake then shows the new one.
    await().atMost(GrpcXds.REFRESH_INTERVAL.multipliedBy(3)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(serialPresentedBy(greeterAddresses.get(4)))
            .isEqualTo(after));
  }

  @Test
  void enableWorksOncePerProcess() {
    assertThatThrownBy(() -> GrpcXds.enable(sleep))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("once per process");
  }

  private static String meshYaml() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: sleeper, namespace: foo}
        spec:
          selector: {app: sleep}
          ports: [{name: grpc, port: 7070, targetPort: %d}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: sleeper, namespace: foo}
        spec:
          host: sleeper.foo.svc.cluster.local
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: rejected, namespace: bar}
        spec:
          selector: {app: greeter}
          ports: [{name: grpc, port: 8080, targetPort: 9000}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: rejected, namespace: bar}
        spec:
          host: rejected.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE, caCertificates: /etc/ca.pem}}
        """.formatted(SLEEP_PORT));
    for (int i = 0; i < SERVICES; i++) {
      yaml.append("""
          ---
          apiVersion: v1
          kind: Service
          metadata: {name: greeter%1$d, namespace: bar}
          spec:
            selector: {app: greeter}
            ports: [{name: grpc, port: 8080, targetPort: %2$d}]
          ---
          apiVersion: networking.istio.io/v1beta1
          kind: DestinationRule
          metadata: {name: greeter%1$d, namespace: bar}
          spec:
            host: greeter%1$d.bar.svc.cluster.local
            trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
          """.formatted(i, 9000 + i));
    }
    return yaml.toString();
  }

  private static Mesh join(String namespace, String name, Consumer<Mesh.Builder> ports)
      throws IOException {
    SpiffeId identity = SpiffeId.forServiceAccount(
        controlPlane.certificateAuthority().trustDomain(), namespace, name);
    Path token = tokens.resolve(name + "." + namespace + ".token");
    controlPlane.tokens().writeTokenFile(identity, token);
    Mesh.Builder builder = Mesh.builder().namespace(namespace).serviceAccount(name)
        .labels(Map.of("app", name))
        .controlPlane("127.0.0.1:" + controlPlane.port())
        .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
        .tokenFile(token)
        .trustDomain(controlPlane.certificateAuthority().trustDomain())
        .startupTimeout(Duration.ofSeconds(30));
    ports.accept(builder);
    return builder.build().start();
  }

  private static void startXdsGreeter(int index) throws IOException {
    Server server = XdsServerBuilder.forAddress(greeterAddresses.get(index),
            XdsServerCredentials.create(InsecureServerCredentials.create()))
        .xdsServingStatusListener(new XdsServerBuilder.XdsServingStatusListener() {
          @Override
          public void onServing() {
            serving.add(index);
          }

          @Override
          public void onNotServing(Throwable throwable) {
            serving.remove(index);
          }
        })
        .addService(ServerInterceptors.intercept(new TestGreeter(),
            WeftGrpc.peerIdentityInterceptor()))
        .build()
        .start();
    closeables.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
  }

  private static void startWeftGreeter(InetSocketAddress address) throws IOException {
    Server server = NettyServerBuilder.forAddress(address,
            WeftGrpc.serverCredentials(sleep, SLEEP_PORT))
        .addService(ServerInterceptors.intercept(new TestGreeter(),
            WeftGrpc.peerIdentityInterceptor()))
        .build()
        .start();
    closeables.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
  }

  private static String identityOverXds(String target) throws InterruptedException {
    return identityOverXds(target, CALL_TIMEOUT);
  }

  private static String identityOverXds(String target, Duration timeout)
      throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilder("xds:///" + target,
        XdsChannelCredentials.create(InsecureChannelCredentials.create())).build();
    try {
      return ClientCalls.blockingUnaryCall(channel, TestGreeter.IDENTITY,
          CallOptions.DEFAULT.withWaitForReady()
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS),
          StringValue.of("")).getValue();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String identity(ManagedChannel channel) {
    return ClientCalls.blockingUnaryCall(channel, TestGreeter.IDENTITY,
        CallOptions.DEFAULT.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
        StringValue.of("")).getValue();
  }

  private static ChannelCredentials meshTls(Mesh mesh) {
    return TlsChannelCredentials.newBuilder()
        .keyManager(MeshKeyManager.create(mesh.certificates()))
        .trustManager(MeshTrustManager.create(mesh.certificates(), PeerAuthorizer.anyPeer()))
        .build();
  }

  /** The serial of the certificate a new TLS handshake with {@code address} is shown. */
  private static BigInteger serialPresentedBy(InetSocketAddress address) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {MeshKeyManager.create(sleep.certificates())},
        new TrustManager[] {MeshTrustManager.create(sleep.certificates(),
            PeerAuthorizer.anyPeer())}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(address.getAddress(), address.getPort())) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  private static int streamsOf(String namespace, String name) {
    return controlPlane.status().workloads().stream()
        .filter(w -> w.node().namespace().equals(namespace) && w.node().name().equals(name))
        .mapToInt(w -> w.streams())
        .sum();
  }

  private static String bootstrapCertificateFile() throws IOException {
    Struct.Builder bootstrap = Struct.newBuilder();
    JsonFormat.parser().merge(System.getProperty("io.grpc.xds.bootstrapConfig"), bootstrap);
    return bootstrap.getFieldsOrThrow("certificate_providers").getStructValue()
        .getFieldsOrThrow("default").getStructValue().getFieldsOrThrow("config")
        .getStructValue().getFieldsOrThrow("certificate_file").getStringValue();
  }

  private static InetSocketAddress reserveLoopbackPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
    }
  }
}
