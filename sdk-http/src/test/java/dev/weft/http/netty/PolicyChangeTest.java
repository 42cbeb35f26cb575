package dev.weft.http.netty;

import static dev.weft.http.netty.TestMesh.HTTPBIN;
import static dev.weft.http.netty.TestMesh.SLEEP;
import static dev.weft.http.netty.TestMesh.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.http.netty.H2cClient.Exchange;
import dev.weft.http.netty.H2cClient.GoAway;
import dev.weft.http.netty.RawHttp1.Response;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import dev.weft.tls.MeshTls;
import dev.weft.tls.PeerAuthorizer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edit of the policy closes the open connections it no longer allows, gracefully. */
class PolicyChangeTest {
  private static final String OK = "HTTP/1.1 200 OK";

  @TempDir Path folder;
  private TestMesh mesh;
  private Mesh httpbin;
  private Mesh sleep;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    mesh = new TestMesh(folder).mode(MtlsMode.PERMISSIVE);
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
  void flipToStrictClosesPlaintextKeepAliveConnectionsAfterTheirInFlightResponse()
      throws Exception {
    try (RawHttp1 idle = plaintext(); RawHttp1 busy = plaintext()) {
      assertThat(idle.get("/headers").statusLine()).isEqualTo(OK);
      assertThat(busy.get("/headers").statusLine()).isEqualTo(OK);
      busy.send("/hold");
      server.app.held.get(10, TimeUnit.SECONDS);

      mesh.mode(MtlsMode.STRICT);
      await().atMost(WAIT).until(() -> server.weft.stats().closedByPolicyChange() == 2);

      assertThat(idle.closedByServer()).as("the idle connection is closed at once").isTrue();
      server.app.release();
      Response inFlight = busy.read();
      assertThat(inFlight.statusLine()).isEqualTo(OK);
      assertThat(inFlight.body()).isEqualTo("released\n");
      assertThat(inFlight.headers()).containsEntry("connection", "close");
      assertThat(busy.closedByServer()).as("closed after the response in flight").isTrue();
    }
    try (RawHttp1 late = plaintext()) {
      assertThatThrownBy(() -> late.get("/headers")).isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void flipToStrictSendsGoAwayOnHttp2AndLetsTheOpenStreamFinish() throws Exception {
    try (H2cClient client = new H2cClient(server.port)) {
      assertThat(client.get("/headers").answer().get(10, TimeUnit.SECONDS).body())
          .contains("protocol: h2");
      Exchange held = client.get("/hold");
      server.app.held.get(10, TimeUnit.SECONDS);

      mesh.mode(MtlsMode.STRICT);

      assertThat(client.goAway.get(10, TimeUnit.SECONDS))
          .isEqualTo(new GoAway(0, held.stream().stream().id()));
      assertThat(client.connection.isActive()).as("open while a stream is in flight").isTrue();
      server.app.release();
      assertThat(held.answer().get(10, TimeUnit.SECONDS).body()).isEqualTo("released\n");
      assertThat(client.connection.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(server.weft.stats().closedByPolicyChange()).isEqualTo(1);
  }

  @Test
  void flipToDisableClosesMtlsConnections() throws Exception {
    Socket socket = MeshTls.clientContext(sleep.certificates(), PeerAuthorizer.anyOf(Set.of(HTTPBIN)))
        .getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port);
    try (RawHttp1 mtls = new RawHttp1(socket)) {
      assertThat(mtls.get("/headers").body()).contains("peer: " + SLEEP + "\n");

      mesh.mode(MtlsMode.DISABLE);
      await().atMost(WAIT).until(() -> server.weft.stats().closedByPolicyChange() == 1);

      assertThat(mtls.closedByServer()).isTrue();
    }
    try (RawHttp1 plaintext = plaintext()) {
      assertThat(plaintext.get("/headers").statusLine()).isEqualTo(OK);
    }
  }

  private RawHttp1 plaintext() throws IOException {
    return new RawHttp1(new Socket(InetAddress.getLoopbackAddress(), server.port));
  }
}
