package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https URL to a mesh service is the application's own TLS, routed like any request. */
class ApplicationTlsTest {
  @TempDir Path dir;

  @Test
  void theApplicationsTlsAndHttp2GoToTheEndpointPickedAndVerifyTheHostCalled() throws Exception {
    HeldCertificate root = new HeldCertificate.Builder().certificateAuthority(0).build();
    HeldCertificate certificate = new HeldCertificate.Builder()
        .addSubjectAlternativeName("httpbin.bar").signedBy(root).build();
    try (LocalMesh mesh = new LocalMesh(dir); MockWebServer httpbin = new MockWebServer()) {
      httpbin.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build()
          .sslSocketFactory());
      httpbin.enqueue(new MockResponse.Builder().body("secure").build());
      httpbin.start(InetAddress.getLoopbackAddress(), 0);
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.getPort(), false));
      HandshakeCertificates trust = new HandshakeCertificates.Builder()
          .addTrustedCertificate(root.certificate()).build();
      OkHttpClient client = WeftOkHttp.newBuilder(mesh.client())
          .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();

      try (Response response = client.newCall(
          new Request.Builder().url("https://httpbin.bar:8000/get").build()).execute()) {
        assertThat(response.body().string()).isEqualTo("secure");
        assertThat(response.handshake()).isNotNull();
      }

      RecordedRequest request = httpbin.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getHandshakeServerNames()).containsExactly("httpbin.bar");
      assertThat(request.getVersion()).isEqualTo("HTTP/2");
      assertThat(request.getHeaders().get(":authority")).isEqualTo("httpbin.bar:8000");
    }
  }
}
