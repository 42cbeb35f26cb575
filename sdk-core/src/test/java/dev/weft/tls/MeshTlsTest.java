package dev.weft.tls;

import static dev.weft.tls.PeerIdServer.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.cert.WorkloadCertificates;
import dev.weft.identity.PeerIdentity;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.testing.TestCertificates;
import dev.weft.testing.TestCertificates.Issued;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshTlsTest {
  private static final TrustDomain TD = TrustDomain.parse("cluster.local");
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");

  @TempDir Path caDir;
  private final Issued meshRoot = TestCertificates.ca("mesh root").issue();
  private LocalCertificateAuthority ca;
  private WorkloadCertificates web;
  private WorkloadCertificates sleep;
  private PeerIdServer server;

  @BeforeEach
  void start() throws Exception {
    SecureFiles.writeSecret(caDir.resolve("ca-key.pem"), Pem.write(meshRoot.keyPair().getPrivate()));
    SecureFiles.writePublic(caDir.resolve("ca-cert.pem"), Pem.write(meshRoot.certificate()));
    SecureFiles.writePublic(caDir.resolve("root-cert.pem"), Pem.write(meshRoot.certificate()));
    ca = LocalCertificateAuthority.newBuilder().directory(caDir).build();
    web = WorkloadCertificates.newBuilder(ca.sourceFor(WEB)).build().start();
    sleep = WorkloadCertificates.newBuilder(ca.sourceFor(SLEEP)).build().start();
    server = new PeerIdServer(MeshTls.serverContext(web, PeerAuthorizer.anyPeer()));
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    web.close();
    sleep.close();
  }

  @Test
  void bothSidesSeeEachOthersSpiffeId() throws Exception {
    SSLContext client = MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB)));

    try (SSLSocket socket = connect(client)) {
      assertThat(request(socket)).isEqualTo(SLEEP.toString());
      PeerIdentity serverSeenByClient = PeerIdentity.of(socket.getSession());
      assertThat(serverSeenByClient.spiffeId()).contains(WEB);
      assertThat(serverSeenByClient.mtls()).isTrue();
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
    }
    assertThat(server.peers).extracting(PeerIdentity::spiffeId).containsExactly(
        java.util.Optional.of(SLEEP));
  }

  @Test
  void theIdentityOfASessionIsReadOnceAndKeptWithTheSession() throws Exception {
    SSLContext client = MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB)));

    try (SSLSocket socket = connect(client)) {
      request(socket);
      PeerIdentity first = PeerIdentity.of(socket.getSession());

      assertThat(PeerIdentity.of(socket.getSession())).isSameAs(first);
    }
  }

  @Test
  void tls12IsAcceptedWithAnEcdheAesGcmSuite() throws Exception {
    SSLContext client = MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB)));

    try (SSLSocket socket = connect(client)) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      assertThat(request(socket)).isEqualTo(SLEEP.toString());
      assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(socket.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").contains("_GCM_");
    }
  }

  @Test
  void serverOffersOnlyMeshProtocolsAndSuites() throws Exception {
    SSLContext context = MeshTls.serverContext(web, PeerAuthorizer.anyPeer());

    assertThat(context.getDefaultSSLParameters().getProtocols())
        .containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(context.getDefaultSSLParameters().getCipherSuites())
        .containsExactlyElementsOf(MeshTls.CIPHER_SUITES);
    assertThat(context.getDefaultSSLParameters().getNeedClientAuth()).isTrue();
    assertThat(context.createSSLEngine().getNeedClientAuth()).isTrue();
    assertThat(context.createSSLEngine().getUseClientMode()).isFalse();
  }

  @Test
  void clientRefusesAServerWithAnUnexpectedIdentity() throws Exception {
    SpiffeId expected = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/other");
    SSLContext client = MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(expected)));

    try (SSLSocket socket = connect(client)) {
      assertThatThrownBy(socket::startHandshake)
          .satisfies(e -> assertThat(messages(e)).contains(
              "mesh TLS rejected the server: peer " + WEB + " is not " + expected));
    }
  }

  @Test
  void anEmptyExpectationAcceptsNoServer() throws Exception {
    SSLContext client = MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of()));

    try (SSLSocket socket = connect(client)) {
      assertThatThrownBy(socket::startHandshake)
          .satisfies(e -> assertThat(messages(e)).contains("not one of the expected identities []"));
    }
  }

  @Test
  void clientRefusesAServerFromAnotherRoot() throws Exception {
    LocalCertificateAuthority stranger = LocalCertificateAuthority.inMemory(TD);
    try (WorkloadCertificates impostor =
             WorkloadCertificates.newBuilder(stranger.sourceFor(WEB)).build().start();
         PeerIdServer fake = new PeerIdServer(
             MeshTls.serverContext(impostor, PeerAuthorizer.anyPeer()));
         SSLSocket socket = connect(
             MeshTls.clientContext(sleep, PeerAuthorizer.anyOf(Set.of(WEB))), fake.port())) {
      assertThatThrownBy(socket::startHandshake)
          .satisfies(e -> assertThat(messages(e))
              .contains("does not chain to the trust bundle of cluster.local"));
    }
  }

  @Test
  void serverRefusesAClientFromAnotherTrustDomain() throws Exception {
    Issued foreignRoot = TestCertificates.ca("other.example root").issue();
    Issued outsider = TestCertificates.leaf("spiffe://other.example/ns/foo/sa/sleep")
        .signedBy(foreignRoot).issue();

    assertServerRefuses(rogueClient(outsider), "no trust bundle for trust domain other.example");
  }

  @Test
  void serverRefusesAnExpiredClientCertificate() throws Exception {
    Issued expired = rogueLeaf(TestCertificates.leaf(SLEEP.toString())
        .validity(java.time.Instant.now().minus(Duration.ofHours(2)),
            java.time.Instant.now().minus(Duration.ofHours(1))));

    assertServerRefuses(rogueClient(expired), "the certificate expired at");
  }

  @Test
  void serverRefusesACaCertificateAsClient() throws Exception {
    Issued caLeaf = rogueLeaf(TestCertificates.leaf(SLEEP.toString()).isCa(true));

    assertServerRefuses(rogueClient(caLeaf), "is a CA certificate");
  }

  @Test
  void serverRefusesAClientCertificateWithTwoUriSans() throws Exception {
    Issued twoIds = rogueLeaf(TestCertificates.leaf(SLEEP.toString()).uri(WEB.toString()));

    assertServerRefuses(rogueClient(twoIds), "has 2 URI SANs");
  }

  @Test
  void serverRefusesAClientThatIsNotAllowed() throws Exception {
    server.close();
    server = new PeerIdServer(MeshTls.serverContext(web, PeerAuthorizer.anyOf(Set.of(WEB))));

    assertServerRefuses(MeshTls.clientContext(sleep, PeerAuthorizer.anyPeer()),
        "mesh TLS rejected the client: peer " + SLEEP + " is not " + WEB);
  }

  @Test
  void serverRefusesAClientWithoutCertificate() throws Exception {
    SSLContext noCertificate = SSLContext.getInstance("TLS");
    noCertificate.init(null, new TrustManager[] {
        MeshTrustManager.create(sleep, PeerAuthorizer.anyPeer())}, null);

    assertServerRefuses(noCertificate, "");
  }

  @Test
  void serverRefusesPlaintext() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] answer = socket.getInputStream().readAllBytes();
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("200 OK");
    } catch (IOException expected) {
      // A reset is also a refusal.
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.failures.isEmpty());
    assertThat(server.peers).isEmpty();
  }

  private void assertServerRefuses(SSLContext client, String reason) throws Exception {
    try (SSLSocket socket = connect(client)) {
      // With TLS 1.3 the client learns of the refusal only when it reads.
      assertThatThrownBy(() -> request(socket)).isInstanceOf(IOException.class);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.failures.isEmpty());
    assertThat(server.failures.get(0)).contains(reason);
    assertThat(server.peers).isEmpty();
  }

  /** Signed by the mesh root itself, so the leaf's own defect is the only thing wrong. */
  private Issued rogueLeaf(TestCertificates leaf) {
    return leaf.signedBy(meshRoot).issue();
  }

  /** A client that does not use Weft: plain JSSE presenting its certificate to anyone. */
  private SSLContext rogueClient(Issued leaf) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {new FixedKeyManager(leaf)},
        new TrustManager[] {MeshTrustManager.create(sleep, PeerAuthorizer.anyPeer())}, null);
    return context;
  }

  /** Presents one certificate whatever issuers the server asks for, as curl or openssl do. */
  private static final class FixedKeyManager extends X509ExtendedKeyManager {
    private final Issued leaf;

    FixedKeyManager(Issued leaf) {
      this.leaf = leaf;
    }

    @Override
    public String chooseClientAlias(String[] types, Principal[] issuers, Socket socket) {
      return "rogue";
    }

    @Override
    public String chooseEngineClientAlias(String[] types, Principal[] issuers, SSLEngine e) {
      return "rogue";
    }

    @Override
    public String chooseServerAlias(String type, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public String[] getClientAliases(String type, Principal[] issuers) {
      return new String[] {"rogue"};
    }

    @Override
    public String[] getServerAliases(String type, Principal[] issuers) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {leaf.certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return leaf.keyPair().getPrivate();
    }
  }

  private SSLSocket connect(SSLContext context) throws IOException {
    return connect(context, server.port());
  }

  private static SSLSocket connect(SSLContext context, int port) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String request(SSLSocket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write("GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in = new BufferedReader(
        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    String status = in.readLine();
    if (status == null) {
      throw new IOException("connection closed before a response");
    }
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      // headers
    }
    return in.readLine();
  }
}
