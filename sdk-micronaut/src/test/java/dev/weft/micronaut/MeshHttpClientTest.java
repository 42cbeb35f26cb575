package dev.weft.micronaut;

import static dev.weft.micronaut.MeshFolder.SLEEP;
import static dev.weft.micronaut.MeshFolder.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.MtlsMode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Micronaut application that only adds Weft and {@code weft.*} properties, as sleep.foo,
 * calling httpbin.bar, a second Micronaut application served with Weft: its HTTP clients,
 * injected or declarative, by URL or by service ID, send what the mesh's policy decides.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshHttpClientTest implements TestPropertyProvider {
  private static final String FQDN = "httpbin.bar.svc.cluster.local";
  private static final String SHORT = "httpbin.bar";

  private final MeshFolder folder = MeshFolder.create(MtlsMode.STRICT);
  private final EmbeddedServer httpbin;
  private final EmbeddedServer outside;

  @Inject HttpClient client;
  @Inject HttpbinClient declarative;
  @Inject HttpbinByIdClient byServiceId;
  @Inject Mesh sleep;

  /** Starts httpbin.bar with Weft, and a server outside the mesh, before the client. */
  MeshHttpClientTest() {
    httpbin = run(folder.httpbinProperties());
    folder.httpbinListensOn(httpbin.getPort()).mode(MtlsMode.STRICT);
    outside = run(Map.of("weft.enabled", "false", "micronaut.server.port", "-1"));
  }

  /**
   * Asks sleep's mesh for the routes the tests use before any edit of the folder, so no test
   * depends on a route first asked while the folder is being reloaded (a race LocalPolicy now
   * serializes, but which no test here can provoke on purpose).
   */
  @BeforeAll
  void askRoutes() throws InterruptedException {
    for (String host : List.of(FQDN, SHORT)) {
      assertThat(sleep.awaitOutboundRoute(host, 8000, WAIT)).isPresent();
    }
    assertThat(sleep.awaitOutboundRoute("localhost", outside.getPort(), WAIT)).isEmpty();
  }

  @Override
  public Map<String, String> getProperties() {
    return folder.sleepProperties();
  }

  @AfterAll
  void stopServers() {
    httpbin.getApplicationContext().close();
    outside.getApplicationContext().close();
  }

  @Test
  void anInjectedClientSendsMtlsWithTheWorkloadsIdentityToAStrictServer() {
    use(MtlsMode.STRICT, null, FQDN, UpstreamTls.MeshMtls.class);

    String seen = whoami("http://" + FQDN + ":8000");

    assertThat(seen).contains("peer: " + SLEEP + "\n").contains("secure: true\n");
  }

  @Test
  void aDeclarativeClientByUrlSendsMtls() {
    use(MtlsMode.STRICT, null, SHORT, UpstreamTls.MeshMtls.class);

    assertThat(declarative.whoami()).contains("peer: " + SLEEP + "\n");
  }

  @Test
  void aDeclarativeClientByServiceIdResolvesThroughTheMeshAndSendsMtls() {
    use(MtlsMode.STRICT, null, SHORT, UpstreamTls.MeshMtls.class);

    assertThat(byServiceId.whoami()).contains("peer: " + SLEEP + "\n");
  }

  @Test
  void disabledPeerAuthenticationAndDestinationRuleMakeThePlaintextCall() {
    use(MtlsMode.DISABLE, "DISABLE", FQDN, UpstreamTls.Plaintext.class);

    String seen = whoami("http://" + FQDN + ":8000");

    assertThat(seen).contains("peer: none\n").contains("secure: false\n");
  }

  @Test
  void plaintextThatAStrictServerRefusesFailsNamingBothPolicies() {
    use(MtlsMode.STRICT, "DISABLE", FQDN, UpstreamTls.Plaintext.class);

    assertThatThrownBy(() -> whoami("http://" + FQDN + ":8000"))
        .isInstanceOf(HttpClientException.class)
        .hasMessageContaining(FQDN + ":8000 (127.0.0.1:" + httpbin.getPort()
            + ") closed a plaintext connection: PeerAuthentication bar/httpbin:"
            + " workload-level STRICT; DestinationRule bar/httpbin: trafficPolicy.tls.mode"
            + " DISABLE");
  }

  @Test
  void mtlsThatADisabledServerRefusesFailsTheHandshakeNamingBothPolicies() {
    use(MtlsMode.DISABLE, "ISTIO_MUTUAL", FQDN, UpstreamTls.MeshMtls.class);

    assertThatThrownBy(() -> whoami("http://" + FQDN + ":8000"))
        .isInstanceOf(HttpClientException.class)
        .hasMessageContaining(FQDN + ":8000 (127.0.0.1:" + httpbin.getPort()
            + ") failed the mesh mTLS handshake")
        .hasMessageContaining("PeerAuthentication bar/httpbin: workload-level DISABLE")
        .hasMessageContaining("DestinationRule bar/httpbin: trafficPolicy.tls.mode ISTIO_MUTUAL");
  }

  @Test
  void aHostOutsideTheMeshIsCalledUntouched() {
    String seen = whoami("http://localhost:" + outside.getPort());

    assertThat(seen).contains("peer: none\n").contains("secure: false\n");
  }

  @Test
  void aPooledConnectionIsNotReusedOnceThePolicyAsksForMtls() {
    use(MtlsMode.PERMISSIVE, "DISABLE", FQDN, UpstreamTls.Plaintext.class);
    assertThat(whoami("http://" + FQDN + ":8000")).contains("peer: none\n");

    // PERMISSIVE still takes the pooled plaintext connection; the client must not reuse it.
    use(MtlsMode.PERMISSIVE, null, FQDN, UpstreamTls.MeshMtls.class);

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(whoami("http://" + FQDN + ":8000")).contains("peer: " + SLEEP + "\n"));
  }

  @Test
  void theFirstRequestOfANewApplicationWaitsForTheRouteInsteadOfGoingPlaintext() {
    use(MtlsMode.PERMISSIVE, null, FQDN, UpstreamTls.MeshMtls.class);
    Map<String, Object> properties = new HashMap<>(folder.sleepProperties());
    properties.put("weft.workload-name", "sleep-fresh");

    try (ApplicationContext fresh = ApplicationContext.run(properties, Environment.TEST);
        HttpClient freshClient = fresh.createBean(HttpClient.class)) {
      String seen = freshClient.toBlocking()
          .retrieve(HttpRequest.GET("http://" + FQDN + ":8000/whoami"), String.class);

      assertThat(seen).contains("peer: " + SLEEP + "\n");
    }
  }

  /**
   * Sets the policy, then waits until httpbin serves its mode and sleep's route to
   * {@code host}:8000 sends {@code expected} to each endpoint.
   */
  private void use(MtlsMode mode, String destinationRuleTls, String host,
      Class<? extends UpstreamTls> expected) {
    if (destinationRuleTls == null) {
      folder.mode(mode);
    } else {
      folder.mode(mode, destinationRuleTls);
    }
    Mesh server = httpbin.getApplicationContext().getBean(Mesh.class);
    await().atMost(WAIT).until(() -> server.inboundPolicy(MeshFolder.PORT)
        .map(policy -> policy.mode() == mode).orElse(false));
    await().atMost(WAIT).until(() -> sleep.outboundRoute(host, 8000)
        .map(route -> !route.endpoints().isEmpty() && route.endpoints().stream()
            .allMatch(endpoint -> expected.isInstance(endpoint.tls())))
        .orElse(false));
  }

  private String whoami(String base) {
    return client.toBlocking().retrieve(HttpRequest.GET(base + "/whoami"), String.class);
  }

  private static EmbeddedServer run(Map<String, String> properties) {
    return ApplicationContext.run(EmbeddedServer.class, new HashMap<>(properties),
        Environment.TEST);
  }
}
