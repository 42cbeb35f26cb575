package dev.weft.http.netty;

import static dev.weft.http.netty.TestMesh.HTTPBIN;
import static dev.weft.http.netty.TestMesh.SLEEP;
import static dev.weft.http.netty.TestMesh.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.http.netty.Command.Result;
import dev.weft.http.netty.TestMesh.PemFiles;
import dev.weft.mesh.Mesh;
import dev.weft.policy.MtlsMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each PeerAuthentication mode against real peers: curl, openssl and raw sockets. */
class InboundEnforcementTest {
  /** curl's exit code for "failure in receiving network data", here a connection reset. */
  private static final int CURL_RECV_ERROR = 56;

  @TempDir Path folder;
  @TempDir Path pem;
  private Mesh httpbin;
  private Mesh sleep;
  private TestServer server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    if (httpbin != null) {
      httpbin.close();
    }
    if (sleep != null) {
      sleep.close();
    }
  }

  @Test
  void strictResetsPlaintext() throws Exception {
    start(MtlsMode.STRICT);

    Result curl = curl(server.url("http", "/headers"));

    assertThat(curl.exitCode()).as(curl.stderr()).isEqualTo(CURL_RECV_ERROR);
    assertThat(curl.stderr()).contains("reset");
    await().atMost(WAIT).until(() -> server.weft.stats().refusedPlaintext() == 1);
    assertThat(server.weft.stats().acceptedPlaintext()).isZero();
  }

  @Test
  void permissiveAcceptsPlaintextWithNoIdentity() throws Exception {
    start(MtlsMode.PERMISSIVE);

    Result curl = curl(server.url("http", "/headers"));

    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    assertThat(curl.stdout()).contains("peer: none\n").contains("protocol: http/1.1\n");
    assertThat(server.weft.stats().acceptedPlaintext()).isEqualTo(1);
  }

  @Test
  void strictAcceptsAMeshCertificateAndAppendsThisHopToXfcc() throws Exception {
    start(MtlsMode.STRICT);
    PemFiles sleepPem = TestMesh.writePem(sleep, pem);

    Result curl = curl(withCertificate(sleepPem, "--http1.1",
        "-H", "X-Forwarded-Client-Cert: By=spiffe://elsewhere/ns/a/sa/b;URI=spiffe://elsewhere/x",
        server.url("https", "/headers")));

    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    assertThat(curl.stdout())
        .contains("peer: " + SLEEP + "\n")
        .contains("protocol: http/1.1\n")
        .contains("x-forwarded-client-cert: "
            + "By=spiffe://elsewhere/ns/a/sa/b;URI=spiffe://elsewhere/x,"
            + "By=" + HTTPBIN + ";Hash=" + TestMesh.leafHash(sleep) + ";Subject=\"\";URI=" + SLEEP
            + "\n");
    assertThat(server.weft.stats().acceptedMtls()).isEqualTo(1);
  }

  @Test
  void plaintextStripsAClientSentXfcc() throws Exception {
    start(MtlsMode.PERMISSIVE);

    Result curl = curl("-H", "X-Forwarded-Client-Cert: By=" + HTTPBIN + ";URI=" + SLEEP,
        server.url("http", "/headers"));

    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    assertThat(curl.stdout()).contains("peer: none\n")
        .doesNotContainIgnoringCase("x-forwarded-client-cert");
  }

  @Test
  void opensslSeesTheServersSpiffeId() throws Exception {
    start(MtlsMode.STRICT);
    PemFiles sleepPem = TestMesh.writePem(sleep, pem);

    Result handshake = Command.run("", List.of("openssl", "s_client",
        "-connect", "127.0.0.1:" + server.port, "-cert", sleepPem.chain().toString(),
        "-key", sleepPem.key().toString(), "-CAfile", sleepPem.roots().toString(),
        "-verify_return_error"));
    Result names = Command.run(handshake.stdout(),
        List.of("openssl", "x509", "-noout", "-ext", "subjectAltName"));

    assertThat(handshake.stdout()).contains("Verify return code: 0 (ok)");
    assertThat(names.stdout()).contains("URI:" + HTTPBIN);
  }

  @Test
  void http2OverTlsByAlpnSeesTheCaller() throws Exception {
    start(MtlsMode.STRICT);
    PemFiles sleepPem = TestMesh.writePem(sleep, pem);

    Result curl = curl(withCertificate(sleepPem, "--http2", "-w", "version %{http_version}",
        server.url("https", "/headers")));

    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    assertThat(curl.stdout()).contains("peer: " + SLEEP + "\n").contains("protocol: h2\n")
        .contains("x-forwarded-client-cert: By=" + HTTPBIN + ";Hash=")
        .endsWith("version 2");
  }

  @Test
  void http2InPlaintextByPriorKnowledge() throws Exception {
    start(MtlsMode.PERMISSIVE);

    Result curl = curl("--http2-prior-knowledge", "-w", "version %{http_version}",
        "-H", "X-Forwarded-Client-Cert: By=" + HTTPBIN, server.url("http", "/headers"));

    assertThat(curl.exitCode()).as(curl.stderr()).isZero();
    assertThat(curl.stdout()).contains("peer: none\n").contains("protocol: h2\n")
        .doesNotContainIgnoringCase("x-forwarded-client-cert").endsWith("version 2");
  }

  @Test
  void disableAnswersTlsWith400AndServesPlaintext() throws Exception {
    start(MtlsMode.DISABLE);

    String answer;
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(clientHello());
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
    Result plaintext = curl(server.url("http", "/headers"));

    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(plaintext.exitCode()).as(plaintext.stderr()).isZero();
    assertThat(server.weft.stats()).isEqualTo(new InboundStats(1, 0, 0, 1, 0));
  }

  @Test
  void tlsWithoutAClientCertificateIsRefused() throws Exception {
    start(MtlsMode.PERMISSIVE);

    Result curl = curl("--insecure", server.url("https", "/headers"));

    assertThat(curl.exitCode()).isNotZero();
    assertThat(curl.stdout()).doesNotContain("peer:");
    await().atMost(WAIT).until(() -> server.weft.stats().refusedTls() == 1);
    assertThat(server.weft.stats().acceptedMtls()).isZero();
  }

  @Test
  void aPortWithNoPolicyRefusesEveryone() throws Exception {
    start(MtlsMode.PERMISSIVE);
    server.close();
    // The mesh watches only the ports it serves, so port 81 never has a policy.
    server = new TestServer(httpbin, 81);
    PemFiles sleepPem = TestMesh.writePem(sleep, pem);

    Result plaintext = curl(server.url("http", "/headers"));
    Result mtls = curl(withCertificate(sleepPem, server.url("https", "/headers")));

    assertThat(plaintext.exitCode()).isEqualTo(CURL_RECV_ERROR);
    assertThat(mtls.exitCode()).isNotZero();
    assertThat(mtls.stdout()).doesNotContain("peer:");
    await().atMost(WAIT).until(() -> server.weft.stats().equals(new InboundStats(0, 0, 1, 1, 0)));
  }

  private void start(MtlsMode mode) throws Exception {
    TestMesh mesh = new TestMesh(folder).mode(mode);
    httpbin = mesh.startHttpbin();
    sleep = mesh.startSleep();
    server = new TestServer(httpbin, TestMesh.PORT);
  }

  private String[] withCertificate(PemFiles files, String... rest) {
    List<String> args = new ArrayList<>(List.of("--cert", files.chain().toString(),
        "--key", files.key().toString(), "--insecure", "--pinnedpubkey", TestMesh.pin(httpbin)));
    args.addAll(List.of(rest));
    return args.toArray(String[]::new);
  }

  private static Result curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(
        List.of("curl", "--silent", "--show-error", "--max-time", "10"));
    command.addAll(List.of(args));
    return Command.run("", command);
  }

  /** The first flight of a real TLS client. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine();
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }
}
