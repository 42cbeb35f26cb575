package dev.weft.http.okhttp;

import static dev.weft.testing.MeshYaml.destinationRule;
import static dev.weft.testing.MeshYaml.peerAuthentication;
import static dev.weft.testing.MeshYaml.service;
import static dev.weft.testing.MeshYaml.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS the mesh decides per endpoint, with real handshakes against real servers. */
class MeshTlsRoutingTest {
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");
  private static final String URL = "http://httpbin.bar:8000/headers";

  @TempDir Path dir;
  private LocalMesh mesh;
  private OkHttpClient client;

  @BeforeEach
  void setUp() {
    mesh = new LocalMesh(dir);
  }

  @AfterEach
  void tearDown() {
    mesh.close();
  }

  @Test
  void autoMtlsToAMeshEndpointPresentsTheClientsIdentityAndKeepsTheHostHeader() throws Exception {
    try (MockWebServer httpbin = TestServers.meshMtls(mesh.workload("bar", "httpbin"))) {
      httpbin.enqueue(new MockResponse.Builder().body("hello").build());
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.getPort(), true));

      try (Response response = call(URL)) {
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body().string()).isEqualTo("hello");
        assertThat(response.request().url()).hasToString(URL);
      }

      RecordedRequest request = httpbin.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getHeaders().get("Host")).isEqualTo("httpbin.bar:8000");
      assertThat(request.getHandshake()).isNotNull();
      assertThat(X509Svids.leafIdentity(
          (X509Certificate) request.getHandshake().peerCertificates().get(0))).isEqualTo(SLEEP);
    }
  }

  @Test
  void meshMtlsConnectionsArePooledPerEndpoint() throws Exception {
    try (MockWebServer httpbin = TestServers.meshMtls(mesh.workload("bar", "httpbin"))) {
      httpbin.enqueue(new MockResponse.Builder().build());
      httpbin.enqueue(new MockResponse.Builder().build());
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.getPort(), true));

      call(URL).close();
      call(URL).close();

      RecordedRequest first = httpbin.takeRequest(5, TimeUnit.SECONDS);
      RecordedRequest second = httpbin.takeRequest(5, TimeUnit.SECONDS);
      assertThat(second.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
      assertThat(second.getExchangeIndex()).isEqualTo(1);
    }
  }

  @Test
  void aServerWithAnotherIdentityIsRefusedNamingBothIdentities() throws Exception {
    try (MockWebServer imposter = TestServers.meshMtls(mesh.workload("bar", "imposter"))) {
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", imposter.getPort(), true));

      assertThatThrownBy(() -> call(URL))
          .isInstanceOfSatisfying(MeshRequestException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.TLS_HANDSHAKE);
            assertThat(e.endpoint()).hasValueSatisfying(
                endpoint -> assertThat(endpoint.port()).isEqualTo(imposter.getPort()));
          })
          .hasMessageStartingWith("httpbin.bar:8000 (127.0.0.1:" + imposter.getPort()
              + ") failed the mesh mTLS handshake")
          .hasMessageContaining("spiffe://cluster.local/ns/bar/sa/imposter is not"
              + " spiffe://cluster.local/ns/bar/sa/httpbin")
          .hasMessageContaining("auto mTLS");
      assertThat(imposter.getRequestCount()).isZero();
    }
  }

  @Test
  void anEndpointOutsideTheMeshIsCalledInPlaintext() throws Exception {
    try (MockWebServer legacy = TestServers.plaintext()) {
      legacy.enqueue(new MockResponse.Builder().body("plain").build());
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", legacy.getPort(), false));

      try (Response response = call(URL)) {
        assertThat(response.body().string()).isEqualTo("plain");
      }

      RecordedRequest request = legacy.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request.getHandshake()).isNull();
      assertThat(request.getHeaders().get("Host")).isEqualTo("httpbin.bar:8000");
    }
  }

  @Test
  void plaintextThatAStrictServerResetsNamesThePeerAuthenticationAndTheDestinationRule()
      throws Exception {
    try (TestServers.Resetting strict = new TestServers.Resetting()) {
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", strict.port(), true),
          peerAuthentication("bar", "httpbin", "STRICT"),
          destinationRule("httpbin", "bar", "httpbin.bar.svc.cluster.local",
              "{tls: {mode: DISABLE}}"));

      assertThatThrownBy(() -> call(URL))
          .isInstanceOfSatisfying(MeshRequestException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.CONNECTION_CLOSED);
            assertThat(e.host()).isEqualTo("httpbin.bar");
            assertThat(e.port()).isEqualTo(8000);
            assertThat(e.reasons()).containsExactly(
                "PeerAuthentication bar/httpbin: workload-level STRICT",
                "DestinationRule bar/httpbin: trafficPolicy.tls.mode DISABLE");
          })
          .hasMessage("httpbin.bar:8000 (127.0.0.1:" + strict.port() + ") closed a plaintext"
              + " connection: PeerAuthentication bar/httpbin: workload-level STRICT;"
              + " DestinationRule bar/httpbin: trafficPolicy.tls.mode DISABLE");
      assertThat(strict.accepted()).isPositive();
    }
  }

  @Test
  void mtlsToAServerThatSpeaksPlaintextFailsTheHandshakeAndNeverSendsTheRequest()
      throws Exception {
    try (TestServers.Answering400 legacy = new TestServers.Answering400()) {
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", legacy.port(), true));

      assertThatThrownBy(() -> call(URL))
          .isInstanceOfSatisfying(MeshRequestException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.TLS_HANDSHAKE))
          .hasMessageContaining("failed the mesh mTLS handshake");
      // 0x16 opens a TLS handshake record; a plaintext request would open with 'G'.
      assertThat(legacy.firstBytes()).isNotEmpty().containsOnly(0x16);
    }
  }

  @Test
  void anEndpointThatRefusesConnectionsSaysSo() throws Exception {
    int closed = TestServers.closedPort();
    mesh.write(service("httpbin", "bar"),
        workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", closed, true));

    assertThatThrownBy(() -> call(URL))
        .isInstanceOfSatisfying(MeshRequestException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.CONNECTION_REFUSED))
        .hasMessageStartingWith("httpbin.bar:8000 (127.0.0.1:" + closed + ") refused the connection");
  }

  @Test
  void aServiceWithoutEndpointsFailsWithoutConnecting() throws Exception {
    mesh.write(service("httpbin", "bar"));

    assertThatThrownBy(() -> call(URL))
        .isInstanceOfSatisfying(MeshRequestException.class, e -> {
          assertThat(e.failure()).isEqualTo(Failure.NO_ENDPOINT);
          assertThat(e.endpoint()).isEmpty();
        })
        .hasMessage("no endpoint of httpbin.bar:8000 (cluster"
            + " outbound|8000||httpbin.bar.svc.cluster.local)");
  }

  @Test
  void aRotatedCertificateIsPresentedOnTheNextConnection() throws Exception {
    try (MockWebServer httpbin = TestServers.meshMtls(mesh.workload("bar", "httpbin"))) {
      mesh.write(service("httpbin", "bar"),
          workloadEntry("httpbin-1", "bar", "httpbin", "httpbin", httpbin.getPort(), true));
      httpbin.enqueue(new MockResponse.Builder().build());
      httpbin.enqueue(new MockResponse.Builder().build());
      Mesh sleep = mesh.client();
      call(URL).close();
      long generation = sleep.certificates().current().generation();

      sleep.certificates().refreshNow();
      await().atMost(LocalMesh.WAIT).until(
          () -> sleep.certificates().current().generation() > generation);
      client.connectionPool().evictAll();
      call(URL).close();

      X509Certificate first = clientCertificate(httpbin.takeRequest(5, TimeUnit.SECONDS));
      X509Certificate second = clientCertificate(httpbin.takeRequest(5, TimeUnit.SECONDS));
      assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
      assertThat(second).isEqualTo(sleep.certificates().current().leaf());
    }
  }

  private static X509Certificate clientCertificate(RecordedRequest request) {
    return (X509Certificate) request.getHandshake().peerCertificates().get(0);
  }

  private Response call(String url) throws IOException {
    if (client == null) {
      client = WeftOkHttp.newBuilder(mesh.client()).build();
    }
    return client.newCall(new Request.Builder().url(url).build()).execute();
  }
}
