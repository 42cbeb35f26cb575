package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS a DestinationRule originates (SIMPLE, MUTUAL) from its files, to servers of their own CA. */
class OriginatedTlsTest {
  private static final String URL = "http://httpbin.bar:8000/get";

  @TempDir Path dir;
  @TempDir Path files;
  private final HeldCertificate root = new HeldCertificate.Builder()
      .certificateAuthority(0).commonName("example root").build();
  private LocalMesh mesh;
  private MockWebServer httpbin;

  @BeforeEach
  void setUp() throws IOException {
    mesh = new LocalMesh(dir);
    httpbin = new MockWebServer();
  }

  @AfterEach
  void tearDown() {
    httpbin.close();
    mesh.close();
  }

  @Test
  void simpleTlsVerifiesTheServerAgainstTheRulesCaAndSendsItsSni() throws Exception {
    serve(certificateFor("httpbin.bar"));
    writeRule("{tls: {mode: SIMPLE, caCertificates: %s, sni: httpbin.example.com}}"
        .formatted(pem("ca.pem", root.certificatePem())));

    try (Response response = call()) {
      assertThat(response.code()).isEqualTo(200);
    }

    RecordedRequest request = httpbin.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getHandshakeServerNames()).containsExactly("httpbin.example.com");
    assertThat(request.getHandshake().peerCertificates()).isEmpty();
    assertThat(request.getHeaders().get("Host")).isEqualTo("httpbin.bar:8000");
  }

  @Test
  void simpleTlsWithoutSniSendsTheHostCalled() throws Exception {
    serve(certificateFor("httpbin.bar"));
    writeRule("{tls: {mode: SIMPLE, caCertificates: %s}}"
        .formatted(pem("ca.pem", root.certificatePem())));

    call().close();

    assertThat(httpbin.takeRequest(5, TimeUnit.SECONDS).getHandshakeServerNames())
        .containsExactly("httpbin.bar");
  }

  @Test
  void aServerCertificateForAnotherHostIsRefused() throws Exception {
    serve(certificateFor("elsewhere.example.com"));
    writeRule("{tls: {mode: SIMPLE, caCertificates: %s}}"
        .formatted(pem("ca.pem", root.certificatePem())));

    assertThatThrownBy(this::call)
        .isInstanceOfSatisfying(MeshRequestException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.TLS_HANDSHAKE))
        .hasMessageContaining("failed the TLS (SIMPLE) handshake")
        .hasMessageContaining("[elsewhere.example.com], not httpbin.bar")
        .hasMessageEndingWith("DestinationRule bar/httpbin: trafficPolicy.tls.mode SIMPLE");
  }

  @Test
  void subjectAltNamesReplaceTheHostInTheCheck() throws Exception {
    serve(certificateFor("elsewhere.example.com"));
    writeRule("{tls: {mode: SIMPLE, caCertificates: %s, subjectAltNames: [elsewhere.example.com]}}"
        .formatted(pem("ca.pem", root.certificatePem())));

    try (Response response = call()) {
      assertThat(response.code()).isEqualTo(200);
    }
  }

  @Test
  void aServerOfAnotherCaIsRefused() throws Exception {
    HeldCertificate otherRoot = new HeldCertificate.Builder()
        .certificateAuthority(0).commonName("other root").build();
    serve(certificateFor("httpbin.bar"));
    writeRule("{tls: {mode: SIMPLE, caCertificates: %s}}"
        .formatted(pem("ca.pem", otherRoot.certificatePem())));

    assertThatThrownBy(this::call)
        .isInstanceOfSatisfying(MeshRequestException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.TLS_HANDSHAKE))
        .hasMessageContaining("failed the TLS (SIMPLE) handshake");
    assertThat(httpbin.getRequestCount()).isZero();
  }

  @Test
  void mutualTlsPresentsTheRulesClientCertificate() throws Exception {
    HeldCertificate clientCertificate = new HeldCertificate.Builder()
        .commonName("sleep client").signedBy(root).build();
    httpbin.requireClientAuth();
    serve(certificateFor("httpbin.bar"));
    writeRule(("{tls: {mode: MUTUAL, caCertificates: %s, clientCertificate: %s,"
        + " privateKey: %s}}").formatted(pem("ca.pem", root.certificatePem()),
        pem("client.pem", clientCertificate.certificatePem()),
        pem("client-key.pem", clientCertificate.privateKeyPkcs8Pem())));

    try (Response response = call()) {
      assertThat(response.code()).isEqualTo(200);
    }

    X509Certificate presented = (X509Certificate) httpbin.takeRequest(5, TimeUnit.SECONDS)
        .getHandshake().peerCertificates().get(0);
    assertThat(presented).isEqualTo(clientCertificate.certificate());
  }

  @Test
  void aMissingCaFileFailsClosed() throws Exception {
    serve(certificateFor("httpbin.bar"));
    writeRule("{tls: {mode: SIMPLE, caCertificates: %s}}".formatted(files.resolve("absent.pem")));

    assertThatThrownBy(this::call)
        .isInstanceOfSatisfying(MeshRequestException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.TLS_HANDSHAKE))
        .hasMessageContaining("absent.pem");
    assertThat(httpbin.getRequestCount()).isZero();
  }

  private HeldCertificate certificateFor(String name) {
    return new HeldCertificate.Builder().addSubjectAlternativeName(name).signedBy(root).build();
  }

  private void serve(HeldCertificate certificate) throws IOException {
    HandshakeCertificates server = new HandshakeCertificates.Builder()
        .heldCertificate(certificate).addTrustedCertificate(root.certificate()).build();
    httpbin.useHttps(server.sslSocketFactory());
    httpbin.enqueue(new MockResponse.Builder().build());
    httpbin.start(InetAddress.getLoopbackAddress(), 0);
  }

  private void writeRule(String trafficPolicy) throws IOException {
    mesh.write(service("httpbin", "bar"),
        workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.getPort(), true),
        destinationRule("httpbin", "bar", "httpbin.bar.svc.cluster.local", trafficPolicy));
  }

  private Path pem(String name, String content) throws IOException {
    return Files.writeString(files.resolve(name), content);
  }

  private Response call() throws IOException {
    OkHttpClient client = WeftOkHttp.newBuilder(mesh.client()).build();
    return client.newCall(new Request.Builder().url(URL).build()).execute();
  }
}
