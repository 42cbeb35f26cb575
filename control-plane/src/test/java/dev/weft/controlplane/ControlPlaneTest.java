package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.IstioCaClient;
import dev.weft.cert.WorkloadCredential;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.config.ConfigLoader;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import dev.weft.policy.MeshResources;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.XdsNames;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled control plane through its TLS port, as workloads reach it. */
class ControlPlaneTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      """;
  private static final String CLUSTER = "outbound|8000||httpbin.bar.svc.cluster.local";

  @TempDir Path dir;
  private ControlPlane controlPlane;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    controlPlane = ControlPlane.newBuilder()
        .resources(load(SERVICE))
        .port(0)
        .stateDirectory(dir.resolve("state"))
        .registrationGrace(Duration.ofMillis(300))
        .debounce(Duration.ofMillis(20))
        .build()
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    controlPlane.close();
  }

  @Test
  void theCaApiIssuesForTheTokensIdentityOnTheXdsPort() throws Exception {
    Path token = dir.resolve("token");
    controlPlane.tokens().writeTokenFile(SLEEP, token);
    try (IstioCaClient client = IstioCaClient.newBuilder()
        .address("127.0.0.1:" + controlPlane.port())
        .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
        .tokenFile(token)
        .identity(SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/someone-else"))
        .build()) {
      WorkloadCredential credential = client.fetch();

      assertThat(X509Svids.leafIdentity(credential.leaf())).isEqualTo(SLEEP);
    }
  }

  @Test
  void aStreamWhoseNodeMatchesItsTokenIsServed() throws Exception {
    AdsTestClient sleep = stream(SLEEP, node("foo", "sleep"));

    sleep.request(XdsNames.LISTENER, List.of("httpbin.bar:8000"), null);

    DiscoveryResponse response = sleep.next(WAIT);
    assertThat(response.getResources(0).unpack(Listener.class).getName())
        .isEqualTo("httpbin.bar:8000");
  }

  @Test
  void aStreamWhoseNodeClaimsAnotherIdentityIsRefused() throws Exception {
    AdsTestClient impostor = stream(SLEEP, node("bar", "httpbin"));

    impostor.request(XdsNames.LISTENER, List.of("httpbin.bar:8000"), null);

    Status status = impostor.ended.get(5, TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).contains("authenticated as " + SLEEP)
        .contains("namespace bar and service account httpbin");
  }

  @Test
  void aStreamWithoutCredentialsIsRefused() throws Exception {
    AdsTestClient anonymous = new AdsTestClient(channel(Optional.empty()), node("foo", "sleep"));
    closeables.add(anonymous);

    anonymous.request(XdsNames.LISTENER, List.of("httpbin.bar:8000"), null);

    assertThat(anonymous.ended.get(5, TimeUnit.SECONDS).getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aWorkloadIsAnEndpointWhileConnectedAndForAGracePeriodAfter() throws Exception {
    AdsTestClient sleep = stream(SLEEP, node("foo", "sleep"));
    sleep.request(XdsNames.ENDPOINT, List.of(CLUSTER), null);
    DiscoveryResponse empty = sleep.next(WAIT);
    assertThat(endpoints(empty)).isZero();

    AdsTestClient httpbin = stream(
        SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin"), node("bar", "httpbin"));
    httpbin.request(XdsNames.LISTENER, List.of(), null);
    DiscoveryResponse joined = sleep.next(WAIT);
    assertThat(endpoints(joined)).isEqualTo(1);
    sleep.request(XdsNames.ENDPOINT, List.of(CLUSTER), joined);

    httpbin.close();
    DiscoveryResponse left = sleep.next(WAIT);
    assertThat(endpoints(left)).isZero();
  }

  @Test
  void aConfigChangePushesOnlyTheTypesItChanges() throws Exception {
    AdsTestClient sleep = stream(SLEEP, node("foo", "sleep"));
    sleep.request(XdsNames.LISTENER, List.of(
        "xds.istio.io/grpc/lds/inbound/0.0.0.0:80"), null);
    DiscoveryResponse listeners = sleep.next(WAIT);
    sleep.request(XdsNames.LISTENER, List.of("xds.istio.io/grpc/lds/inbound/0.0.0.0:80"),
        listeners);
    sleep.request(XdsNames.CLUSTER, List.of(CLUSTER), null);
    DiscoveryResponse clusters = sleep.next(WAIT);
    sleep.request(XdsNames.CLUSTER, List.of(CLUSTER), clusters);

    controlPlane.update(load(SERVICE + """
        ---
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec: {mtls: {mode: STRICT}}
        """));

    DiscoveryResponse pushed = sleep.next(WAIT);
    assertThat(pushed.getTypeUrl()).isEqualTo(XdsNames.LISTENER);
    assertThat(pushed.getResources(0).unpack(Listener.class).getFilterChains(0).getName())
        .isEqualTo("inbound-mtls");
    assertThat(sleep.responses.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void acknowledgementsAndRejectionsAreRecordedWithTheReason() throws Exception {
    AdsTestClient sleep = stream(SLEEP, node("foo", "sleep"));
    sleep.request(XdsNames.LISTENER, List.of("httpbin.bar:8000"), null);
    DiscoveryResponse first = sleep.next(WAIT);
    sleep.request(XdsNames.LISTENER, List.of("httpbin.bar:8000"), first);
    await().atMost(WAIT).until(() -> typeStatus().map(t -> t.synced()).orElse(false));

    sleep.reject(first, List.of("httpbin.bar:8000"), "Listener httpbin.bar:8000: bad field x");

    await().atMost(WAIT).until(() -> typeStatus().flatMap(t -> t.nackReason()).isPresent());
    assertThat(typeStatus().orElseThrow().nackReason())
        .contains("Listener httpbin.bar:8000: bad field x");
  }

  private Optional<dev.weft.controlplane.xds.SyncStatus.TypeStatus> typeStatus() {
    return controlPlane.status().workloads().stream()
        .filter(w -> w.node().namespace().equals("foo"))
        .findFirst()
        .map(w -> w.types().get(XdsNames.LISTENER));
  }

  private static int endpoints(DiscoveryResponse response) throws Exception {
    ClusterLoadAssignment assignment = response.getResources(0).unpack(ClusterLoadAssignment.class);
    return assignment.getEndpointsCount() == 0 ? 0
        : assignment.getEndpoints(0).getLbEndpointsCount();
  }

  private AdsTestClient stream(SpiffeId identity, WorkloadNode node) throws Exception {
    AdsTestClient client = new AdsTestClient(channel(Optional.of(identity)), node);
    closeables.add(0, client);
    return client;
  }

  private ManagedChannel channel(Optional<SpiffeId> identity) throws Exception {
    ChannelCredentials tls = TlsChannelCredentials.newBuilder()
        .trustManager(new ByteArrayInputStream(dev.weft.cert.internal.Pem.write(
            controlPlane.certificateAuthority().rootCertificates())
            .getBytes(StandardCharsets.US_ASCII)))
        .build();
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", controlPlane.port(),
        tls).build();
    closeables.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    if (identity.isEmpty()) {
      return channel;
    }
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + controlPlane.tokens().issue(identity.get()));
    return new InterceptedChannel(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static WorkloadNode node(String namespace, String name) {
    return new WorkloadNode(WorkloadNode.nodeId("127.0.0.1", name, namespace), namespace, name,
        Map.of("app", name), name, List.of("127.0.0.1"), "Kubernetes", Map.of(),
        Optional.of("0.1.0"), Map.of(80, new HostAndPort("127.0.0.1", 18080)));
  }

  private static MeshResources load(String yaml) {
    return new ConfigLoader().load(yaml, "test.yaml").resources();
  }
}
