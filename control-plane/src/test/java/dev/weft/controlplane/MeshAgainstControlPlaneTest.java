package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.config.ConfigLoader;
import dev.weft.controlplane.xds.SyncStatus;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.MtlsMode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's xDS client and certificates against the Weft control plane, over TLS with tokens. */
class MeshAgainstControlPlaneTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final SpiffeId HTTPBIN =
      SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      """;

  @TempDir Path dir;
  private Path config;
  private ControlPlane controlPlane;
  private final List<Mesh> meshes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("services.yaml"), SERVICE);
    controlPlane = controlPlane(0);
  }

  @AfterEach
  void stop() {
    meshes.forEach(Mesh::close);
    controlPlane.close();
  }

  @Test
  void aWorkloadJoinsWithTheIdentityItsTokenNamesAndGetsItsPortsPolicy() throws Exception {
    Mesh httpbin = httpbin();

    assertThat(X509Svids.leafIdentity(httpbin.certificates().current().leaf())).isEqualTo(HTTPBIN);
    assertThat(httpbin.inboundPolicy(80)).hasValueSatisfying(policy -> {
      assertThat(policy.mode()).isEqualTo(MtlsMode.PERMISSIVE);
      assertThat(policy.reason()).contains("PERMISSIVE by default");
    });
  }

  @Test
  void aConfigChangeBecomesANewDecision() throws Exception {
    Mesh httpbin = httpbin();

    policy("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """);

    await().atMost(WAIT).untilAsserted(() -> assertThat(httpbin.inboundPolicy(80))
        .hasValueSatisfying(policy -> assertThat(policy.reason())
            .isEqualTo("PeerAuthentication bar/default: namespace-level STRICT")));
  }

  @Test
  void aRouteLeadsToTheRegisteredWorkloadWithMeshMtlsExpectingItsIdentity() throws Exception {
    httpbin();
    Mesh sleep = sleep();

    OutboundRoute route = sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT).orElseThrow();

    assertThat(route.endpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.address()).isEqualTo("127.0.0.1");
      assertThat(endpoint.port()).isEqualTo(18080);
      assertThat(endpoint.tls()).isInstanceOfSatisfying(UpstreamTls.MeshMtls.class,
          mtls -> assertThat(mtls.expected()).containsExactly(HTTPBIN));
    });
  }

  @Test
  void aResourceTheWorkloadRejectsKeepsTheOldDecisionAndIsReported() throws Exception {
    httpbin();
    Mesh sleep = sleep();
    OutboundRoute before = sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT).orElseThrow();

    policy("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE, credentialName: httpbin-ca}}
        """);

    await().atMost(WAIT).untilAsserted(() -> assertThat(workload("sleep").types().values())
        .anySatisfy(type -> assertThat(type.nackReason()).hasValueSatisfying(reason ->
            assertThat(reason).contains("credentialName needs a Kubernetes secret"))));
    assertThat(sleep.outboundRoute("httpbin.bar", 8000)).contains(before);
  }

  @Test
  void aControlPlaneRestartKeepsEveryDecisionAndThenResynchronises() throws Exception {
    Mesh httpbin = httpbin();
    int port = controlPlane.port();

    controlPlane.close();
    assertThat(httpbin.inboundPolicy(80).orElseThrow().mode()).isEqualTo(MtlsMode.PERMISSIVE);
    policy("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """);
    assertThat(httpbin.inboundPolicy(80).orElseThrow().mode()).isEqualTo(MtlsMode.PERMISSIVE);
    controlPlane = controlPlane(port);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(httpbin.inboundPolicy(80).orElseThrow().mode()).isEqualTo(MtlsMode.DISABLE));
  }

  @Test
  void meshesOfOneWorkloadShareOneStream() throws Exception {
    Mesh first = sleep();
    Mesh second = sleep();
    Mesh third = sleep();

    assertThat(first.awaitOutboundRoute("httpbin.bar", 8000, WAIT)).isPresent();
    assertThat(second.awaitOutboundRoute("httpbin.bar.svc.cluster.local", 8000, WAIT))
        .isPresent();
    assertThat(third.awaitOutboundRoute("httpbin.bar.svc", 8000, WAIT)).isPresent();

    await().atMost(WAIT).untilAsserted(() -> assertThat(workload("sleep").streams()).isEqualTo(1));
    assertThat(controlPlane.status().workloads()).hasSize(1);
  }

  @Test
  void onceInSyncEveryWorkloadHasTheNewDecision() throws Exception {
    Mesh httpbin = httpbin();
    Mesh sleep = sleep();
    sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT).orElseThrow();
    assertThat(controlPlane.awaitInSync(WAIT)).isTrue();

    controlPlane.update(new ConfigLoader().load(SERVICE + """
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: foo}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: DISABLE}}
        """, "update").resources());

    assertThat(controlPlane.awaitInSync(WAIT)).isTrue();
    assertThat(httpbin.inboundPolicy(80).orElseThrow().mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(sleep.outboundRoute("httpbin.bar", 8000).orElseThrow().endpoints())
        .singleElement().satisfies(endpoint -> {
          assertThat(endpoint.tls()).isInstanceOf(UpstreamTls.Plaintext.class);
          assertThat(endpoint.server()).hasValueSatisfying(server ->
              assertThat(server.reason()).isEqualTo(
                  "PeerAuthentication bar/default: namespace-level STRICT"));
        });
  }

  @Test
  void aNameNoServiceHasGetsNoRoute() throws Exception {
    Mesh sleep = sleep();

    // "httpbin" from namespace foo means httpbin.foo, which does not exist.
    assertThat(sleep.awaitOutboundRoute("httpbin", 8000, Duration.ofMillis(500))).isEmpty();
    assertThat(sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT)).isPresent();
  }

  @Test
  void endpointsPastGrpcsDefaultMessageSizeArrive() throws Exception {
    // Some 300 bytes an endpoint: 20,000 make a response past gRPC's default 4 MiB.
    int endpoints = 20_000;
    StringBuilder entries = new StringBuilder();
    for (int i = 0; i < endpoints; i++) {
      entries.append("""
          ---
          apiVersion: networking.istio.io/v1
          kind: WorkloadEntry
          metadata: {name: httpbin-%d, namespace: bar}
          spec:
            address: 10.0.%d.%d
            labels: {app: httpbin, security.istio.io/tlsMode: istio}
            serviceAccount: httpbin
          """.formatted(i, i / 250, i % 250 + 1));
    }
    policy(entries.toString());
    Mesh sleep = sleep();

    // The control plane may route before it read the entries: the route has them once it has.
    await().atMost(WAIT).untilAsserted(() -> assertThat(sleep.outboundRoute("httpbin.bar", 8000))
        .hasValueSatisfying(route -> assertThat(route.endpoints()).hasSize(endpoints)));
  }

  private ControlPlane controlPlane(int port) throws Exception {
    return ControlPlane.newBuilder()
        .configDirectory(config)
        .port(port)
        .stateDirectory(dir.resolve("state"))
        .registrationGrace(Duration.ofMillis(300))
        .debounce(Duration.ofMillis(20))
        .build()
        .start();
  }

  private void policy(String yaml) throws Exception {
    Path file = config.resolve("policy.yaml");
    Path temp = config.resolve(".policy.yaml.tmp");
    Files.writeString(temp, yaml);
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private SyncStatus.Workload workload(String name) {
    return controlPlane.status().workloads().stream()
        .filter(w -> w.node().name().equals(name)).findFirst().orElseThrow();
  }

  private Mesh httpbin() throws Exception {
    return join(Mesh.builder().namespace("bar").serviceAccount("httpbin")
        .labels(Map.of("app", "httpbin"))
        .servePort(80, new InetSocketAddress("127.0.0.1", 18080)), HTTPBIN);
  }

  private Mesh sleep() throws Exception {
    return join(Mesh.builder().namespace("foo").serviceAccount("sleep")
        .labels(Map.of("app", "sleep")), SLEEP);
  }

  private Mesh join(Mesh.Builder builder, SpiffeId identity) throws Exception {
    Path token = dir.resolve(identity.serviceAccount().orElseThrow() + ".token");
    controlPlane.tokens().writeTokenFile(identity, token);
    Mesh mesh = builder
        .controlPlane("127.0.0.1:" + controlPlane.port())
        .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
        .tokenFile(token)
        .startupTimeout(WAIT)
        .build()
        .start();
    meshes.add(mesh);
    return mesh;
  }
}
