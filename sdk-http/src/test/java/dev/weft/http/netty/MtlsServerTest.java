package dev.weft.http.netty;

import static dev.weft.http.netty.TestMesh.HTTPBIN;
import static dev.weft.http.netty.TestMesh.SLEEP;
import static dev.weft.http.netty.TestMesh.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import dev.weft.tls.MeshTls;
import dev.weft.tls.PeerAuthorizer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mTLS side with a JDK client: the ALPN names Envoy sidecars offer one another select the
 * protocol they name, and a new connection meets the server's current certificate.
 */
class MtlsServerTest {
  private static final int SETTINGS_FRAME = 0x4;

  @TempDir Path folder;
  private Mesh httpbin;
  private Mesh sleep;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    TestMesh mesh = new TestMesh(folder).mode(MtlsMode.STRICT);
    httpbin = mesh.startHttpbin();
    sleep = mesh.startSleep();
    server = new TestServer(httpbin, TestMesh.PORT);
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
    httpbin.close();
    sleep.close();
  }

  @Test
  void istioHttp11SpeaksHttp11() throws Exception {
    SSLSocket socket = connect("istio-http/1.1", "istio");

    assertThat(socket.getApplicationProtocol()).isEqualTo("istio-http/1.1");
    try (RawHttp1 http = new RawHttp1(socket)) {
      assertThat(http.get("/headers").body())
          .contains("peer: " + SLEEP + "\n").contains("protocol: http/1.1\n");
    }
  }

  @Test
  void istioH2SpeaksHttp2() throws Exception {
    try (SSLSocket socket = connect("istio-h2", "istio")) {
      assertThat(socket.getApplicationProtocol()).isEqualTo("istio-h2");
      assertThat(firstFrameTypeAfterPreface(socket)).isEqualTo(SETTINGS_FRAME);
    }
  }

  @Test
  void envoysHttp2ListGetsPlainH2() throws Exception {
    try (SSLSocket socket = connect("istio-h2", "istio", "h2")) {
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      assertThat(firstFrameTypeAfterPreface(socket)).isEqualTo(SETTINGS_FRAME);
    }
  }

  @Test
  void noAlpnSpeaksHttp11() throws Exception {
    SSLSocket socket = connect();

    assertThat(socket.getApplicationProtocol()).isEmpty();
    try (RawHttp1 http = new RawHttp1(socket)) {
      assertThat(http.get("/headers").body()).contains("protocol: http/1.1\n");
    }
  }

  @Test
  void aNewConnectionGetsTheRotatedCertificate() throws Exception {
    BigInteger first;
    try (SSLSocket socket = connect()) {
      first = serverLeaf(socket).getSerialNumber();
    }

    httpbin.certificates().refreshNow();
    await().atMost(WAIT).until(() -> httpbin.certificates().current().generation() == 2);

    try (SSLSocket socket = connect()) {
      assertThat(serverLeaf(socket).getSerialNumber()).isNotEqualTo(first)
          .isEqualTo(httpbin.certificates().current().leaf().getSerialNumber());
    }
  }

  private static X509Certificate serverLeaf(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  /** A new client context each time, so no session is resumed. */
  private SSLSocket connect(String... alpn) throws IOException {
    SSLSocket socket = (SSLSocket) MeshTls.clientContext(sleep.certificates(),
            PeerAuthorizer.anyOf(Set.of(HTTPBIN))).getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), server.port);
    socket.setSoTimeout(10_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setApplicationProtocols(alpn);
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** Sends the client preface and an empty SETTINGS frame; an HTTP/2 server answers SETTINGS. */
  private static int firstFrameTypeAfterPreface(SSLSocket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[] {0, 0, 0, SETTINGS_FRAME, 0, 0, 0, 0, 0});
    out.flush();
    byte[] header = new byte[9];
    new DataInputStream(socket.getInputStream()).readFully(header);
    return header[3];
  }
}
