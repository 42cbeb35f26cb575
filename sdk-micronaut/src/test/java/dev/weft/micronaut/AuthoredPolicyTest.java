package dev.weft.micronaut;

import static dev.weft.micronaut.MeshFolder.WAIT;
import static dev.weft.micronaut.MeshFolder.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.MtlsMode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Policy an application declares with annotations on its controllers: it takes the workload
 * level, yields to a PeerAuthentication that selects the workload, and {@code @RequireMutualTls}
 * holds whatever the configuration says.
 */
class AuthoredPolicyTest {
  private final HttpClient plaintext = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private MeshFolder folder;
  private Mesh sleep;
  private HttpClient mtls;
  private EmbeddedServer server;

  @BeforeEach
  void startClient() throws IOException {
    folder = MeshFolder.create(MtlsMode.UNSET);
    sleep = folder.startSleep();
    mtls = MeshFolder.mtlsClient(sleep);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.getApplicationContext().close();
    }
    sleep.close();
  }

  @Test
  void requireMutualTlsHoldsAgainstAControlPlaneDisable() throws Exception {
    folder.mode(MtlsMode.DISABLE);
    start("floor");

    assertThat(policy().mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy().reason()).contains("PeerAuthentication bar/httpbin")
        .contains("DISABLE, raised to STRICT by @RequireMutualTls on "
            + AuthoredControllers.Floor.class.getCanonicalName());
    assertThatThrownBy(() -> fetch(plaintext, url("http", "/floor")))
        .isInstanceOf(IOException.class);
    assertThat(fetch(mtls, url("https", "/floor")).body()).isEqualTo("floor");
  }

  @Test
  void anAnnotatedPeerAuthenticationOverridesTheNamespaceLevel() throws Exception {
    folder.namespaceMode(MtlsMode.STRICT);
    start("permissive");

    assertThat(policy().mode()).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(policy().reason()).contains("@PeerAuthentication on "
        + AuthoredControllers.Permissive.class.getCanonicalName());
    assertThat(fetch(plaintext, url("http", "/permissive")).statusCode()).isEqualTo(200);
    assertThat(fetch(mtls, url("https", "/permissive")).statusCode()).isEqualTo(200);
  }

  @Test
  void aPeerAuthenticationSelectingTheWorkloadOverridesTheAnnotation() throws Exception {
    folder.mode(MtlsMode.STRICT);
    start("permissive");

    assertThat(policy().mode()).isEqualTo(MtlsMode.STRICT);
    assertThatThrownBy(() -> fetch(plaintext, url("http", "/permissive")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aPortLevelAnnotationAppliesToItsContainerPort() throws Exception {
    folder.namespaceMode(MtlsMode.DISABLE);
    start("port-level");

    assertThat(policy().mode()).isEqualTo(MtlsMode.STRICT);
    assertThatThrownBy(() -> fetch(plaintext, url("http", "/port-level")))
        .isInstanceOf(IOException.class);
    assertThat(fetch(mtls, url("https", "/port-level")).body()).isEqualTo("port-level");
  }

  @Test
  void theFloorFollowsALiveChangeOfTheConfiguration() throws Exception {
    folder.mode(MtlsMode.STRICT);
    start("floor");
    Mesh httpbin = server.getApplicationContext().getBean(Mesh.class);

    folder.mode(MtlsMode.PERMISSIVE);
    await().atMost(WAIT).until(() -> policy().reason().contains("PERMISSIVE, raised to STRICT"));

    assertThat(httpbin.inboundPolicy(MeshFolder.PORT).orElseThrow().acceptsPlaintext()).isFalse();
    assertThatThrownBy(() -> fetch(plaintext, url("http", "/floor")))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aDestinationRuleOnAClientInterfaceDecidesTheWorkloadsRoute() throws Exception {
    folder.mode(MtlsMode.PERMISSIVE);
    start("client-rule");
    Mesh httpbin = server.getApplicationContext().getBean(Mesh.class);

    await().atMost(WAIT).until(() -> httpbin.outboundRoute("httpbin.bar", 8000)
        .filter(route -> !route.endpoints().isEmpty()).isPresent());
    UpstreamTls tls = httpbin.outboundRoute("httpbin.bar", 8000).orElseThrow()
        .endpoints().get(0).tls();

    assertThat(tls).isInstanceOf(UpstreamTls.Plaintext.class);
    assertThat(String.join("; ", tls.because())).contains("@DestinationRule on "
        + AuthoredControllers.RuledClient.class.getCanonicalName());
  }

  private void start(String app) {
    Map<String, Object> properties = new HashMap<>(folder.httpbinProperties(app));
    server = io.micronaut.context.ApplicationContext.run(EmbeddedServer.class, properties);
  }

  private InboundPolicy policy() {
    return server.getApplicationContext().getBean(Mesh.class).inboundPolicy(MeshFolder.PORT)
        .orElseThrow();
  }

  private String url(String scheme, String path) {
    return scheme + "://127.0.0.1:" + server.getPort() + path;
  }
}
