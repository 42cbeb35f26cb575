package dev.weft.micronaut;

import static dev.weft.micronaut.MeshFolder.HTTPBIN;
import static dev.weft.micronaut.MeshFolder.SLEEP;
import static dev.weft.micronaut.MeshFolder.WAIT;
import static dev.weft.micronaut.MeshFolder.fetch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Micronaut application that only adds Weft and {@code weft.*} properties: its Netty server
 * enforces the port's PeerAuthentication, and controllers get the caller's identity.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshServerTest implements TestPropertyProvider {
  private final MeshFolder folder = MeshFolder.create(MtlsMode.STRICT);
  private final HttpClient plaintext = HttpClient.newBuilder().connectTimeout(WAIT).build();
  private Mesh sleep;
  private HttpClient mtls;

  @Inject EmbeddedServer server;
  @Inject Mesh httpbin;

  @Override
  public Map<String, String> getProperties() {
    return folder.httpbinProperties();
  }

  @BeforeAll
  void startClient() throws IOException {
    sleep = folder.startSleep();
    mtls = MeshFolder.mtlsClient(sleep);
  }

  @AfterAll
  void stopClient() {
    sleep.close();
  }

  @Test
  void strictRejectsPlaintextAndServesMtlsWithTheCallersIdentity() throws Exception {
    use(MtlsMode.STRICT);

    assertThatThrownBy(() -> fetch(plaintext, url("http", "/whoami")))
        .isInstanceOf(IOException.class);
    var response = fetch(mtls, url("https", "/whoami"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("peer: " + SLEEP + "\n").contains("secure: true\n")
        .contains("xfcc: By=" + HTTPBIN);
  }

  @Test
  void permissiveServesPlaintextAndMtlsOnOnePort() throws Exception {
    use(MtlsMode.PERMISSIVE);

    var overPlaintext = fetch(plaintext, url("http", "/whoami"));
    var overMtls = fetch(mtls, url("https", "/whoami"));

    assertThat(overPlaintext.statusCode()).isEqualTo(200);
    assertThat(overPlaintext.body()).contains("peer: none\n").contains("secure: false\n")
        .contains("xfcc: none\n");
    assertThat(overMtls.statusCode()).isEqualTo(200);
    assertThat(overMtls.body()).contains("peer: " + SLEEP + "\n");
  }

  @Test
  void disableRefusesMtlsAndServesPlaintext() throws Exception {
    use(MtlsMode.DISABLE);

    assertThatThrownBy(() -> fetch(mtls, url("https", "/whoami"))).isInstanceOf(IOException.class);
    assertThat(fetch(plaintext, url("http", "/whoami")).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequiredMeshPeerAnswersPlaintextForbidden() throws Exception {
    use(MtlsMode.PERMISSIVE);

    var overPlaintext = fetch(plaintext, url("http", "/required"));
    var overMtls = fetch(mtls, url("https", "/required"));

    assertThat(overPlaintext.statusCode()).isEqualTo(403);
    assertThat(overPlaintext.body()).contains("came in plaintext");
    assertThat(overMtls.statusCode()).isEqualTo(200);
    assertThat(overMtls.body()).isEqualTo(SLEEP.toString());
  }

  @Test
  void aNullablePeerIdentityIsNullInPlaintextAndCarriesTheChainOverMtls() throws Exception {
    use(MtlsMode.PERMISSIVE);

    assertThat(fetch(plaintext, url("http", "/nullable")).body()).isEqualTo("null");
    assertThat(fetch(mtls, url("https", "/nullable")).body())
        .isEqualTo(SLEEP + " chain " + sleep.certificates().current().chain().size());
  }

  @Test
  void aCertificateRotationMidRunDropsNoRequest() throws Exception {
    use(MtlsMode.STRICT);
    BigInteger before = httpbin.certificates().current().leaf().getSerialNumber();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        calls.add(callers.submit(() -> fetch(mtls, url("https", "/whoami")).statusCode()));
        if (i == 50 || i == 120) {
          httpbin.certificates().refreshNow();
        }
      }
      for (Future<Integer> call : calls) {
        assertThat(call.get()).isEqualTo(200);
      }
    } finally {
      callers.shutdownNow();
    }
    await().atMost(WAIT).until(
        () -> !httpbin.certificates().current().leaf().getSerialNumber().equals(before));
    // A new connection after the rotation gets the new certificate and is still served.
    var fresh = fetch(MeshFolder.mtlsClient(sleep), url("https", "/whoami"));
    assertThat(fresh.statusCode()).isEqualTo(200);
  }

  @Test
  void aFlipToStrictClosesAnOpenPlaintextConnection() throws Exception {
    use(MtlsMode.PERMISSIVE);
    try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      var in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII));
      socket.getOutputStream().write(("GET /whoami HTTP/1.1\r\nHost: httpbin\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");

      use(MtlsMode.STRICT);

      // The rest of the response, then the end of the stream: the server closed the connection.
      await().atMost(WAIT).until(() -> in.readLine() == null);
    }
  }

  /** Sets the mode and waits until the server applies it. */
  private void use(MtlsMode mode) {
    folder.mode(mode);
    await().atMost(WAIT).until(() -> httpbin.inboundPolicy(MeshFolder.PORT)
        .map(policy -> policy.mode() == mode).orElse(false));
  }

  private String url(String scheme, String path) {
    return scheme + "://127.0.0.1:" + server.getPort() + path;
  }
}
