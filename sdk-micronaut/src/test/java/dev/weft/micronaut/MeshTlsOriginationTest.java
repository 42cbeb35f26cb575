package dev.weft.micronaut;

import static dev.weft.micronaut.MeshFolder.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.internal.Pem;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS that is not the mesh's, to an httpbin.bar endpoint that serves its own TLS (a Micronaut
 * server without Weft): a DestinationRule's SIMPLE TLS, which Weft originates and verifies as
 * the rule says, and an application's {@code https} URL, which is its own TLS, routed to the
 * endpoint the mesh picks.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshTlsOriginationTest implements TestPropertyProvider {
  private static final String HOST = "httpbin.bar.svc.cluster.local";

  private final MeshFolder folder = MeshFolder.create(MtlsMode.PERMISSIVE);
  private final EmbeddedServer tlsServer;

  @Inject HttpClient client;
  @Inject Mesh sleep;

  /** Starts the TLS server as httpbin's endpoint, before the client. */
  MeshTlsOriginationTest() {
    tlsServer = ApplicationContext.run(EmbeddedServer.class, new HashMap<>(Map.of(
        "weft.enabled", "false", "micronaut.server.ssl.enabled", "true",
        "micronaut.server.ssl.build-self-signed", "true", "micronaut.server.ssl.port", "-1")),
        Environment.TEST);
    folder.httpbinListensOn(tlsServer.getPort()).mode(MtlsMode.PERMISSIVE, "DISABLE");
  }

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(folder.sleepProperties());
    properties.put("micronaut.http.client.ssl.insecure-trust-all-certificates", "true");
    return properties;
  }

  /** Asks the route before any edit of the folder (see {@code MeshHttpClientTest}). */
  @BeforeAll
  void askRoute() throws InterruptedException {
    assertThat(sleep.awaitOutboundRoute(HOST, 8000, WAIT)).isPresent();
  }

  @AfterAll
  void stopServer() {
    tlsServer.getApplicationContext().close();
  }

  @Test
  void aDestinationRuleSimpleTlsIsOriginatedOverAnHttpUrl() {
    use("SIMPLE, insecureSkipVerify: true",
        tls -> tls instanceof UpstreamTls.OriginatedTls simple && simple.insecureSkipVerify());

    String seen = client.toBlocking()
        .retrieve(HttpRequest.GET("http://" + HOST + ":8000/whoami"), String.class);

    assertThat(seen).contains("secure: true\n");
  }

  @Test
  void aServerTheDestinationRulesCaDoesNotVouchForFailsNamingTheRule() throws IOException {
    Path ca = Files.createTempFile("weft-not-the-ca", ".pem");
    Files.writeString(ca, Pem.write(sleep.certificates().current().leaf()));
    use("SIMPLE, caCertificates: " + ca, tls -> tls instanceof UpstreamTls.OriginatedTls simple
        && simple.caCertificates().isPresent());

    assertThatThrownBy(() -> client.toBlocking()
        .retrieve(HttpRequest.GET("http://" + HOST + ":8000/whoami"), String.class))
        .isInstanceOf(HttpClientException.class)
        .hasMessageContaining(HOST + ":8000 (127.0.0.1:" + tlsServer.getPort()
            + ") failed the TLS (SIMPLE) handshake")
        .hasMessageContaining("DestinationRule bar/httpbin: trafficPolicy.tls.mode SIMPLE");
  }

  @Test
  void anHttpsUrlIsTheApplicationsOwnTlsToTheEndpointPicked() {
    use("DISABLE", UpstreamTls.Plaintext.class::isInstance);

    String seen = client.toBlocking()
        .retrieve(HttpRequest.GET("https://" + HOST + ":8000/whoami"), String.class);

    assertThat(seen).contains("secure: true\n");
  }

  /** Sets httpbin's DestinationRule TLS and waits until sleep's route sends {@code expected}. */
  private void use(String destinationRuleTls, Predicate<UpstreamTls> expected) {
    folder.mode(MtlsMode.PERMISSIVE, destinationRuleTls);
    await().atMost(WAIT).until(() -> sleep.outboundRoute(HOST, 8000)
        .map(route -> !route.endpoints().isEmpty() && route.endpoints().stream()
            .allMatch(endpoint -> expected.test(endpoint.tls())))
        .orElse(false));
  }
}
