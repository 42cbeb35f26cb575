package dev.weft.micronaut;

import static dev.weft.micronaut.MeshFolder.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.MtlsMode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A DestinationRule's MUTUAL TLS from Micronaut's HttpClient: httpbin.bar's endpoint is a
 * server outside the mesh that requires a client certificate of its own CA, and the request,
 * sent to an {@code http} URL, presents the certificate the rule names.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutualTlsOriginationTest implements TestPropertyProvider {
  private static final String HOST = "httpbin.bar.svc.cluster.local";

  private final MeshFolder folder = MeshFolder.create(MtlsMode.PERMISSIVE);
  private final HeldCertificate root = new HeldCertificate.Builder()
      .certificateAuthority(0).commonName("httpbin's own root").build();
  private final HeldCertificate clientCertificate = new HeldCertificate.Builder()
      .commonName("sleep, to httpbin").signedBy(root).build();
  private final MockWebServer httpbin = new MockWebServer();

  @Inject HttpClient client;
  @Inject Mesh sleep;

  /** Starts httpbin's server, which requires a client certificate, before the client. */
  MutualTlsOriginationTest() throws IOException {
    HeldCertificate serverCertificate = new HeldCertificate.Builder()
        .addSubjectAlternativeName(HOST).signedBy(root).build();
    httpbin.useHttps(new HandshakeCertificates.Builder().heldCertificate(serverCertificate)
        .addTrustedCertificate(root.certificate()).build().sslSocketFactory());
    httpbin.requireClientAuth();
    httpbin.enqueue(new MockResponse.Builder().body("ok").build());
    httpbin.start(InetAddress.getLoopbackAddress(), 0);
    Path files = Files.createTempDirectory("weft-mutual");
    folder.httpbinListensOn(httpbin.getPort()).mode(MtlsMode.PERMISSIVE, String.format(
        "MUTUAL, caCertificates: %s, clientCertificate: %s, privateKey: %s",
        pem(files, "ca.pem", root.certificatePem()),
        pem(files, "client.pem", clientCertificate.certificatePem()),
        pem(files, "client-key.pem", clientCertificate.privateKeyPkcs8Pem())));
  }

  @Override
  public Map<String, String> getProperties() {
    return folder.sleepProperties();
  }

  @AfterAll
  void stopServer() {
    httpbin.close();
  }

  @Test
  void theRequestPresentsTheClientCertificateTheRuleNames() throws Exception {
    await().atMost(WAIT).until(() -> sleep.outboundRoute(HOST, 8000)
        .map(route -> !route.endpoints().isEmpty() && route.endpoints().stream()
            .allMatch(endpoint -> endpoint.tls() instanceof UpstreamTls.OriginatedTls))
        .orElse(false));

    String answer = client.toBlocking()
        .retrieve(HttpRequest.GET("http://" + HOST + ":8000/"), String.class);

    assertThat(answer).isEqualTo("ok");
    RecordedRequest request = httpbin.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    X509Certificate presented = (X509Certificate) request.getHandshake().peerCertificates().get(0);
    assertThat(presented).isEqualTo(clientCertificate.certificate());
  }

  private static Path pem(Path files, String name, String content) {
    try {
      return Files.writeString(files.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
