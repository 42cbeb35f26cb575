package dev.weft.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import dev.weft.annotation.ClientTls;
import dev.weft.annotation.DestinationRule;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.PortMtls;
import dev.weft.annotation.RequireMutualTls;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.TlsMode;
import dev.weft.policy.WorkloadPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mesh with no control plane: the local folder, translated in-process, with a local CA. */
class MeshTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MESH = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      ---
      apiVersion: networking.istio.io/v1
      kind: WorkloadEntry
      metadata: {name: httpbin-vm, namespace: bar}
      spec:
        address: 10.0.0.7
        labels: {app: httpbin, security.istio.io/tlsMode: istio}
        serviceAccount: httpbin
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {matchLabels: {app: httpbin}}
        mtls: {mode: STRICT}
      """;

  @TempDir Path dir;

  @Test
  void aWorkloadGetsItsPortsPolicyFromTheLocalFolder() throws Exception {
    try (Mesh httpbin = local(Mesh.builder().namespace("bar").serviceAccount("httpbin")
        .labels(Map.of("app", "httpbin")).servePort(80)).start()) {

      assertThat(httpbin.inboundPolicy(80)).hasValueSatisfying(policy -> {
        assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(policy.reason()).contains("PeerAuthentication bar/httpbin");
      });
      assertThat(X509Svids.leafIdentity(httpbin.certificates().current().leaf()))
          .isEqualTo(SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin"));
    }
  }

  @Test
  void aClientIsRoutedToTheServicesEndpointsWithMeshMtls() throws Exception {
    try (Mesh sleep = local(Mesh.builder().namespace("foo").serviceAccount("sleep")).start()) {

      OutboundRoute route = sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT).orElseThrow();

      assertThat(route.endpoints()).singleElement().satisfies(endpoint -> {
        assertThat(endpoint.address()).isEqualTo("10.0.0.7");
        assertThat(endpoint.port()).isEqualTo(80);
        assertThat(endpoint.tls()).isInstanceOfSatisfying(UpstreamTls.MeshMtls.class,
            mtls -> assertThat(mtls.expected())
                .containsExactly(SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin")));
        assertThat(endpoint.server()).hasValueSatisfying(server -> {
          assertThat(server.mode()).isEqualTo(MtlsMode.STRICT);
          assertThat(server.reason()).startsWith("PeerAuthentication bar/httpbin");
        });
      });
      // "httpbin" from foo means httpbin.foo: the answer that there is none comes at once.
      assertTimeout(Duration.ofSeconds(5), () ->
          assertThat(sleep.awaitOutboundRoute("httpbin", 8000, Duration.ofSeconds(30))).isEmpty());
    }
  }

  @Test
  void anEditOfTheFolderIsANewDecisionAndABrokenEditKeepsTheLastGood() throws Exception {
    try (Mesh httpbin = local(Mesh.builder().namespace("bar").serviceAccount("httpbin")
        .labels(Map.of("app", "httpbin")).servePort(80)).start()) {

      write("mesh.yaml", MESH.replace("mode: STRICT", "mode: DISABLE"));
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(httpbin.inboundPolicy(80).orElseThrow().mode()).isEqualTo(MtlsMode.DISABLE));

      write("mesh.yaml", MESH.replace("mode: STRICT", "mode: STRICTEST"));
      write("other.yaml", """
          apiVersion: v1
          kind: Service
          metadata: {name: other, namespace: bar}
          spec:
            selector: {app: other}
            ports: [{name: http, port: 9000}]
          """);

      await().atMost(WAIT).untilAsserted(() ->
          assertThat(httpbin.outboundRoute("other.bar", 9000)).isPresent());
      assertThat(httpbin.inboundPolicy(80).orElseThrow().mode()).isEqualTo(MtlsMode.DISABLE);
    }
  }

  @PeerAuthentication(mode = MtlsMode.PERMISSIVE,
      portLevelMtls = @PortMtls(port = 9090, mode = MtlsMode.DISABLE))
  static final class WebController {}

  @RequireMutualTls
  static final class WebApp {}

  @DestinationRule(host = "httpbin.bar.svc.cluster.local",
      tls = @ClientTls(mode = TlsMode.DISABLE))
  static final class SleepClient {}

  @Test
  void aWorkloadsOwnPeerAuthenticationBeatsTheNamespacesAndItsFloorBeatsBoth() throws Exception {
    Files.writeString(dir.resolve("namespace.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """);
    String controller = MeshTest.class.getCanonicalName() + ".WebController";
    String app = MeshTest.class.getCanonicalName() + ".WebApp";

    try (Mesh web = local(web().workloadPolicy(
        WorkloadPolicy.fromAnnotations(List.of(WebController.class)))).start()) {
      assertThat(web.inboundPolicy(80)).hasValueSatisfying(policy -> {
        assertThat(policy.mode()).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(policy.because()).containsExactly(
            "@PeerAuthentication on " + controller + ": workload-level PERMISSIVE",
            "PeerAuthentication bar/default: namespace-level DISABLE");
      });
      assertThat(web.inboundPolicy(9090).orElseThrow().mode()).isEqualTo(MtlsMode.DISABLE);
    }
    try (Mesh web = local(web().workloadPolicy(
        WorkloadPolicy.fromAnnotations(List.of(WebController.class, WebApp.class)))).start()) {
      assertThat(web.inboundPolicy(80)).hasValueSatisfying(policy -> {
        assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(policy.reason()).isEqualTo("@PeerAuthentication on " + controller
            + ": workload-level PERMISSIVE, raised to STRICT by @RequireMutualTls on " + app);
      });
      assertThat(web.inboundPolicy(9090)).hasValueSatisfying(policy -> {
        assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(policy.reason()).isEqualTo("@PeerAuthentication on " + controller
            + ": port-level DISABLE on port 9090, raised to STRICT by @RequireMutualTls on "
            + app);
      });
    }
  }

  @Test
  void aClientsOwnDestinationRuleDecidesItsRoute() throws Exception {
    try (Mesh sleep = local(Mesh.builder().namespace("foo").serviceAccount("sleep")
        .workloadPolicy(WorkloadPolicy.fromAnnotations(List.of(SleepClient.class)))).start()) {

      OutboundRoute route = sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT).orElseThrow();

      assertThat(route.endpoints()).singleElement().satisfies(endpoint -> {
        assertThat(endpoint.tls()).isInstanceOf(UpstreamTls.Plaintext.class);
        assertThat(endpoint.tls().because()).containsExactly("@DestinationRule on "
            + MeshTest.class.getCanonicalName() + ".SleepClient: host"
            + " httpbin.bar.svc.cluster.local, tls.mode DISABLE");
      });
    }
  }

  @Test
  void aFolderWithErrorsFailsStartNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("broken.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICTEST}}
        """);
    Mesh mesh = Mesh.builder().localConfig(dir).build();

    assertThatThrownBy(mesh::start)
        .hasMessageContaining("broken.yaml")
        .hasMessageContaining("STRICTEST");
    assertThatThrownBy(() -> mesh.inboundPolicy(80)).hasMessageContaining("closed");
  }

  @Test
  void startingTwiceOrUsingAClosedMeshIsAnError() throws Exception {
    Mesh mesh = local(Mesh.builder());

    assertThatThrownBy(() -> mesh.inboundPolicy(80)).hasMessageContaining("not started");
    mesh.start();
    assertThatThrownBy(mesh::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    mesh.close();
    mesh.close();
    assertThatThrownBy(() -> mesh.outboundRoute("httpbin.bar", 8000))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aMeshNeedsToKnowWherePolicyComesFrom() {
    assertThatThrownBy(() -> Mesh.builder().build())
        .hasMessageContaining("XDS_ADDR").hasMessageContaining("WEFT_CONFIG_DIR");
  }

  private static Mesh.Builder web() {
    return Mesh.builder().namespace("bar").serviceAccount("web").labels(Map.of("app", "web"))
        .servePort(80).servePort(9090);
  }

  private void write(String file, String content) throws Exception {
    Path temp = dir.resolve("." + file + ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private Mesh local(Mesh.Builder builder) throws Exception {
    Files.writeString(dir.resolve("mesh.yaml"), MESH);
    return builder.localConfig(dir).startupTimeout(WAIT).build();
  }
}
