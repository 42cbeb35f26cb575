package dev.weft.tls;

import static dev.weft.tls.PeerIdServer.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.cert.WorkloadCredential;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.PeerIdentity;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS peers that are not Weft: the openssl and curl command-line tools. */
class ExternalPeersTest {
  private static final TrustDomain TD = TrustDomain.parse("cluster.local");
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");

  @TempDir Path dir;
  private final LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(TD);
  private WorkloadCertificates web;
  private PeerIdServer server;
  private Path sleepFiles;

  @BeforeEach
  void start() throws Exception {
    web = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();
    server = new PeerIdServer(MeshTls.serverContext(web, PeerAuthorizer.anyPeer()));
    sleepFiles = writeCredential("sleep", ca.sourceFor(SLEEP).fetch());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    web.close();
  }

  @Test
  void opensslClientWithSvidIsSeenByItsSpiffeId() throws Exception {
    Result result = run("GET / HTTP/1.0\n\n", "openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
        "-cert", sleepFiles.resolve("cert-chain.pem").toString(),
        "-key", sleepFiles.resolve("key.pem").toString(),
        "-CAfile", sleepFiles.resolve("root-cert.pem").toString(),
        "-verify_return_error", "-ign_eof", "-quiet");

    assertThat(result.stdout).contains("HTTP/1.1 200 OK").contains(SLEEP.toString());
    assertThat(result.exitCode).isZero();
  }

  @Test
  void opensslClientWithoutCertificateIsRefused() throws Exception {
    Result result = run("GET / HTTP/1.0\n\n", "openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
        "-CAfile", sleepFiles.resolve("root-cert.pem").toString(), "-ign_eof", "-quiet");

    assertThat(result.stdout).doesNotContain("200 OK");
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.failures.isEmpty());
    assertThat(server.peers).isEmpty();
  }

  @Test
  void curlWithSvidIsSeenByItsSpiffeId() throws Exception {
    Result result = run("", "curl", "--silent", "--show-error", "--max-time", "10",
        "--cert", sleepFiles.resolve("cert-chain.pem").toString(),
        "--key", sleepFiles.resolve("key.pem").toString(),
        // The server's SVID names no host, so curl checks its pinned key instead of a name.
        "--insecure", "--pinnedpubkey", pin(web),
        "https://127.0.0.1:" + server.port() + "/");

    assertThat(result.exitCode).as(result.stderr).isZero();
    assertThat(result.stdout.trim()).isEqualTo(SLEEP.toString());
  }

  @Test
  void curlWithCertificateFromAnotherMeshIsRefused() throws Exception {
    LocalCertificateAuthority stranger = LocalCertificateAuthority.inMemory(TD);
    Path strangerFiles = writeCredential("stranger", stranger.sourceFor(SLEEP).fetch());

    Result result = run("", "curl", "--silent", "--show-error", "--max-time", "10",
        "--cert", strangerFiles.resolve("cert-chain.pem").toString(),
        "--key", strangerFiles.resolve("key.pem").toString(),
        "--insecure", "--pinnedpubkey", pin(web),
        "https://127.0.0.1:" + server.port() + "/");

    assertThat(result.exitCode).isNotZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.failures.isEmpty());
    assertThat(server.failures.get(0))
        .contains("does not chain to the trust bundle of cluster.local");
  }

  @Test
  void weftClientVerifiesAnOpensslServerBySpiffeId() throws Exception {
    Path webFiles = writeCredential("web", ca.sourceFor(WEB).fetch());
    try (WorkloadCertificates sleep =
             WorkloadCertificates.newBuilder(ca.sourceFor(SLEEP)).build().start();
         OpensslServer opensslServer = new OpensslServer(webFiles)) {
      try (SSLSocket socket = connect(
          MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB))), opensslServer.port)) {
        assertThat(PeerIdentity.of(socket.getSession()).spiffeId()).contains(WEB);
        assertThat(get(socket)).startsWith("HTTP/1.0 200 ok");
      }
      SpiffeId expected = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/other");
      try (SSLSocket socket = connect(
          MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(expected))),
          opensslServer.port)) {
        assertThatThrownBy(socket::startHandshake)
            .satisfies(e -> assertThat(messages(e)).contains("is not " + expected));
      }
    }
  }

  private Path writeCredential(String name, WorkloadCredential credential) throws IOException {
    Path out = dir.resolve(name);
    SecureFiles.writeSecret(out.resolve("key.pem"), Pem.write(credential.privateKey()));
    SecureFiles.writePublic(out.resolve("cert-chain.pem"), Pem.write(credential.chain()));
    SecureFiles.writePublic(out.resolve("root-cert.pem"), Pem.write(ca.rootCertificates()));
    return out;
  }

  private static String pin(WorkloadCertificates certificates) throws Exception {
    byte[] spki = certificates.current().leaf().getPublicKey().getEncoded();
    return "sha256//" + Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(spki));
  }

  private static SSLSocket connect(javax.net.ssl.SSLContext context, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String get(SSLSocket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.US_ASCII)).readLine();
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result run(String input, String... command) throws Exception {
    Process process = new ProcessBuilder(command).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.US_ASCII));
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 20s");
    }
    return new Result(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** {@code openssl s_server} presenting an SVID and requiring a client certificate. */
  private static final class OpensslServer implements AutoCloseable {
    final int port;
    private final Process process;

    OpensslServer(Path files) throws Exception {
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      List<String> command = new ArrayList<>(List.of("openssl", "s_server",
          "-accept", "127.0.0.1:" + port, "-naccept", "2", "-www",
          "-cert", files.resolve("cert-chain.pem").toString(),
          "-key", files.resolve("key.pem").toString(),
          "-CAfile", files.resolve("root-cert.pem").toString(), "-Verify", "1"));
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("ACCEPT")) {
        // Wait until it listens.
      }
      if (line == null) {
        throw new AssertionError("openssl s_server exited before accepting");
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
