package dev.weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.KeyAlgorithm;
import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.WorkloadCredential;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.config.ConfigLoader;
import dev.weft.controlplane.ControlPlane;
import dev.weft.identity.PeerIdentity;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.policy.MeshResources;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grpc-java's own xDS client and server, with a bootstrap pointing at the Weft control plane
 * and file_watcher certificates Weft issued, are the referee: they must accept every resource
 * Weft sends and complete calls with the security the policy asks for.
 */
class GrpcJavaRefereeTest {
  private static final TrustDomain TD = TrustDomain.parse("cluster.local");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final SpiffeId GREETER =
      SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/greeter");
  private static final String TARGET = "greeter.bar.svc.cluster.local:8080";

  @TempDir Path dir;
  private final LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(TD);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<SSLSession> serverSessions = new CopyOnWriteArrayList<>();
  private final List<Boolean> serverCalls = new CopyOnWriteArrayList<>();
  private ControlPlane controlPlane;
  private int greeterPort;

  @BeforeEach
  void start() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      greeterPort = probe.getLocalPort();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  @Test
  void strictServerAndIstioMutualClientTalkOverMtls() throws Exception {
    startControlPlane("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: greeter, namespace: bar}
        spec:
          host: greeter.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        """);
    startGreeter();

    assertThat(check(channel()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    assertThat(serverSessions).isNotEmpty();
    assertThat(PeerIdentity.of(serverSessions.get(0)).spiffeId()).contains(SLEEP);
    assertNoWorkloadRejectedAnything();
  }

  @Test
  void disableServerTalksPlaintext() throws Exception {
    startControlPlane("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """);
    startGreeter();

    assertThat(check(channel()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    assertThat(serverCalls).isNotEmpty();
    assertThat(serverSessions).isEmpty();
    assertNoWorkloadRejectedAnything();
  }

  @Test
  void aStrictServerRefusesAPlaintextClient() throws Exception {
    startControlPlane("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """);
    startGreeter();

    // No DestinationRule: like istiod, no auto mTLS for proxyless clients, so plaintext fails.
    assertThatThrownBy(() -> check(channel())).isInstanceOf(StatusRuntimeException.class);
    assertThat(serverCalls).isEmpty();
    assertNoWorkloadRejectedAnything();
  }

  @Test
  void aSimpleDestinationRuleIsRejectedLoudlyNotSentInPlaintext() throws Exception {
    startControlPlane("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: greeter, namespace: bar}
        spec:
          host: greeter.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE, caCertificates: /etc/ca.pem}}
        """);
    startGreeter();

    assertThatThrownBy(() -> check(channel())).isInstanceOf(StatusRuntimeException.class);
    assertThat(serverCalls).isEmpty();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(controlPlane.status().workloads()).anySatisfy(w ->
            assertThat(w.types().values()).anySatisfy(t ->
                assertThat(t.nackReason()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("Cluster 'outbound|8080||greeter.bar.svc.cluster.local'")
                    .contains("ca_certificate_provider_instance or system_root_certs is required"
                        + " in upstream-tls-context")))));
  }

  private void startControlPlane(String yaml) throws IOException {
    String services = """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: greeter, namespace: bar}
        spec:
          selector: {app: greeter}
          ports: [{name: grpc, port: 8080, targetPort: %d}]
        """.formatted(greeterPort);
    MeshResources resources = new ConfigLoader().load(yaml + services, "test.yaml").resources();
    controlPlane = ControlPlane.newBuilder().resources(resources).plaintextPort(0)
        .debounce(Duration.ofMillis(10)).build().start();
  }

  private void startGreeter() throws Exception {
    HealthStatusManager health = new HealthStatusManager();
    Server server = XdsServerBuilder
        .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), greeterPort),
            XdsServerCredentials.create(InsecureServerCredentials.create()))
        .overrideBootstrapForTest(bootstrap("greeter", "bar", "greeter",
            Map.of("app", "greeter", "security.istio.io/tlsMode", "istio"), GREETER))
        .addService(ServerInterceptors.intercept(health.getHealthService(), new SessionRecorder()))
        .build()
        .start();
    closeables.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
  }

  @SuppressWarnings("deprecation") // nameResolverFactory is how a test gives a channel its bootstrap.
  private ManagedChannel channel() throws IOException {
    XdsNameResolverProvider resolver = XdsNameResolverProvider.createForTest("weft-test",
        bootstrap("sleep", "foo", "sleep",
            Map.of("app", "sleep", "security.istio.io/tlsMode", "istio"), SLEEP));
    ManagedChannel channel = Grpc.newChannelBuilder("weft-test:///" + TARGET,
            XdsChannelCredentials.create(InsecureChannelCredentials.create()))
        .nameResolverFactory(resolver)
        .build();
    closeables.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static HealthCheckResponse check(ManagedChannel channel) {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
  }

  /** A grpc-java bootstrap as istio-agent writes it, pointing at the Weft control plane. */
  private Map<String, Object> bootstrap(String pod, String namespace, String serviceAccount,
      Map<String, String> labels, SpiffeId identity) throws IOException {
    Path certs = dir.resolve(pod);
    WorkloadCredential credential =
        ca.sourceFor(identity, KeyAlgorithm.ECDSA_P256, Duration.ofHours(1)).fetch();
    SecureFiles.writeSecret(certs.resolve("key.pem"), Pem.write(credential.privateKey()));
    SecureFiles.writePublic(certs.resolve("cert-chain.pem"), Pem.write(credential.chain()));
    SecureFiles.writePublic(certs.resolve("root-cert.pem"), Pem.write(ca.rootCertificates()));

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("GENERATOR", "grpc");
    metadata.put("NAMESPACE", namespace);
    metadata.put("SERVICE_ACCOUNT", serviceAccount);
    metadata.put("INSTANCE_IPS", "127.0.0.1");
    metadata.put("CLUSTER_ID", "Kubernetes");
    metadata.put("LABELS", labels);
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("xds_servers", List.of(Map.of(
        "server_uri", "127.0.0.1:" + controlPlane.plaintextPort(),
        "channel_creds", List.of(Map.of("type", "insecure")),
        "server_features", List.of("xds_v3"))));
    bootstrap.put("node", Map.of(
        "id", "sidecar~127.0.0.1~" + pod + "-1." + namespace + "~" + namespace
            + ".svc.cluster.local",
        "metadata", metadata));
    bootstrap.put("certificate_providers", Map.of("default", Map.of(
        "plugin_name", "file_watcher",
        "config", Map.of(
            "certificate_file", certs.resolve("cert-chain.pem").toString(),
            "private_key_file", certs.resolve("key.pem").toString(),
            "ca_certificate_file", certs.resolve("root-cert.pem").toString(),
            "refresh_interval", "600s"))));
    bootstrap.put("server_listener_resource_name_template", "xds.istio.io/grpc/lds/inbound/%s");
    return bootstrap;
  }

  private void assertNoWorkloadRejectedAnything() {
    assertThat(controlPlane.status().workloads()).isNotEmpty().allSatisfy(w ->
        assertThat(w.types().values()).allSatisfy(t ->
            assertThat(t.nackReason()).as("%s rejected %s", w.node().id(), t.typeUrl())
                .isEmpty()));
  }

  /** Records the TLS session (if any) of every call the greeter serves. */
  private final class SessionRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      serverCalls.add(true);
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      if (session != null) {
        serverSessions.add(session);
      }
      return Contexts.interceptCall(Context.current(), call, headers, next);
    }
  }
}
