package dev.weft.samples.sleep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mesh.Mesh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sleep sample reports what Istio's scenario matrix reports, against real servers. */
class SleepClientTest {
  private static final String HTTPBIN = "http://httpbin.bar:8000";

  @TempDir Path dir;
  private MockWebServer httpbin;
  private ServerSocket strict;
  private Thread resetter;

  @BeforeEach
  void setUp() throws IOException {
    httpbin = new MockWebServer();
    httpbin.start(InetAddress.getLoopbackAddress(), 0);
    strict = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    resetter = new Thread(this::resetEveryConnection, "strict");
    resetter.setDaemon(true);
    resetter.start();
  }

  @AfterEach
  void tearDown() throws IOException {
    httpbin.close();
    strict.close();
  }

  @Test
  void theMeshClientReports200FromAPlaintextEndpointAnd503WhenAStrictServerResetsIt()
      throws Exception {
    write(endpoint(httpbin.getPort(), ""));
    httpbin.enqueue(new MockResponse.Builder().build());
    try (Mesh mesh = sleepMesh(); SleepClient sleep = SleepClient.withWeft(mesh)) {
      assertThat(sleep.call(HTTPBIN + "/ip").value()).isEqualTo("200");
    }

    write(endpoint(strict.getLocalPort(), ", security.istio.io/tlsMode: istio"), """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: DISABLE}}
        """);
    try (Mesh mesh = sleepMesh(); SleepClient sleep = SleepClient.withWeft(mesh)) {
      SleepClient.Result result = sleep.call(HTTPBIN + "/ip");

      assertThat(result.value()).isEqualTo("503");
      assertThat(result.failure()).hasValueSatisfying(why ->
          assertThat(why).contains("DestinationRule bar/httpbin: trafficPolicy.tls.mode DISABLE"));
    }
  }

  @Test
  void theLegacyClientReports200ThroughItsAddressMapAnd000WhenReset() throws Exception {
    httpbin.enqueue(new MockResponse.Builder().build());
    try (SleepClient sleep = SleepClient.legacy(Map.of("httpbin.bar:8000",
        new InetSocketAddress("127.0.0.1", httpbin.getPort())))) {
      assertThat(sleep.call(HTTPBIN + "/ip").value()).isEqualTo("200");
    }
    assertThat(httpbin.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Host"))
        .isEqualTo("httpbin.bar:8000");

    try (SleepClient sleep = SleepClient.legacy(Map.of("httpbin.bar:8000",
        new InetSocketAddress("127.0.0.1", strict.getLocalPort())))) {
      assertThat(sleep.call(HTTPBIN + "/ip").value()).isEqualTo("000");
    }
  }

  @Test
  void identityReportsTheSpiffeIdInTheServersForwardedClientCertOrPlaintext() throws Exception {
    httpbin.enqueue(new MockResponse.Builder().body("""
        {"headers": {"X-Forwarded-Client-Cert": "By=spiffe://cluster.local/ns/bar/sa/httpbin;\
        Hash=0a1b;Subject=\\"\\";URI=spiffe://cluster.local/ns/foo/sa/sleep"}}""").build());
    httpbin.enqueue(new MockResponse.Builder().body("{\"headers\": {}}").build());
    try (SleepClient sleep = SleepClient.legacy(Map.of("httpbin.bar:8000",
        new InetSocketAddress("127.0.0.1", httpbin.getPort())))) {
      assertThat(sleep.identity(HTTPBIN).value()).isEqualTo("spiffe://cluster.local/ns/foo/sa/sleep");
      assertThat(sleep.identity(HTTPBIN).value()).isEqualTo("plaintext");
    }
    assertThat(httpbin.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/headers");
  }

  private Mesh sleepMesh() throws IOException {
    return Mesh.builder().namespace("foo").serviceAccount("sleep").localConfig(dir)
        .startupTimeout(Duration.ofSeconds(10)).build().start();
  }

  private void write(String... documents) throws IOException {
    Files.writeString(dir.resolve("mesh.yaml"), String.join("---\n", """
        apiVersion: v1
        kind: Service
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {app: httpbin}
          ports: [{name: http, port: 8000, targetPort: 80}]
        """, """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {matchLabels: {app: httpbin}}
          mtls: {mode: STRICT}
        """, String.join("---\n", documents)));
  }

  /** The endpoint of httpbin, with more {@code labels}: outside the mesh without any. */
  private static String endpoint(int port, String labels) {
    return """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: httpbin-1, namespace: bar}
        spec:
          address: 127.0.0.1
          labels: {app: httpbin%s}
          serviceAccount: httpbin
          ports: {http: %d}
        """.formatted(labels, port);
  }

  private void resetEveryConnection() {
    while (!strict.isClosed()) {
      try (Socket connection = strict.accept()) {
        connection.setSoLinger(true, 0);
      } catch (IOException e) {
        if (!strict.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
