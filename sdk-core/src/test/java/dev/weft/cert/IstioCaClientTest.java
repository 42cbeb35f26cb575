package dev.weft.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.cert.internal.CaCertificates;
import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.ca.IstioCertificateRequest;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.identity.internal.X509Svids;
import io.grpc.Status;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class IstioCaClientTest {
  private static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("cluster.local");
  private static final SpiffeId REQUESTED =
      SpiffeId.forServiceAccount(TRUST_DOMAIN, "default", "requested");
  private static final SpiffeId ISSUED = SpiffeId.forServiceAccount(TRUST_DOMAIN, "shop", "web");
  private static final String CLUSTER = "east";

  @TempDir Path dir;

  /** Plays istiod's CA: signs workload certificates and istiod's own TLS certificate. */
  private final LocalCertificateAuthority mesh = LocalCertificateAuthority.inMemory(TRUST_DOMAIN);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private FakeIstioCa ca;
  private Path tokenFile;

  @BeforeEach
  void startCa() throws Exception {
    ca = startedCa(mesh, List.of("localhost", "127.0.0.1"));
    tokenFile = dir.resolve("istio-token");
    Files.writeString(tokenFile, "token-1\n");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void sendsBearerTokenAndClusterId() throws Exception {
    client().fetch();

    assertThat(ca.headers).singleElement().satisfies(h -> {
      assertThat(h.get(FakeIstioCa.AUTHORIZATION)).isEqualTo("Bearer token-1");
      assertThat(h.get(FakeIstioCa.CLUSTER_ID)).isEqualTo(CLUSTER);
    });
  }

  @Test
  void returnsCredentialForTheIdentityTheCaIssued() throws Exception {
    WorkloadCredential credential = client().fetch();

    X509Certificate leaf = credential.leaf();
    assertThat(X509Svids.leafIdentity(leaf)).isEqualTo(ISSUED);
    assertThat(KeyPairs.matches(credential.privateKey(), leaf.getPublicKey())).isTrue();
    assertThat(credential.trustBundles().bundle(TRUST_DOMAIN))
        .hasValue(List.of(mesh.rootCertificates().get(0)));
    assertThat(credential.chain()).containsExactly(leaf);
  }

  @Test
  void logsWhenTheCaIssuesAnotherIdentityThanRequested() throws Exception {
    ListAppender<ILoggingEvent> logs = captureLogs();

    client().fetch();

    assertThat(logs.list).anySatisfy(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.INFO);
      assertThat(event.getFormattedMessage()).contains(ISSUED.toString(), REQUESTED.toString());
    });
  }

  @Test
  void sendsRequestedTtlAndCsrForTheGeneratedKey() throws Exception {
    WorkloadCredential credential = build(clientFor(ca).ttl(Duration.ofHours(6))).fetch();

    IstioCertificateRequest request = ca.requests.get(0);
    assertThat(request.getValidityDuration()).isEqualTo(6 * 3600);
    PKCS10CertificationRequest csr = Pem.readCertificateRequest(request.getCsr(), "request");
    assertThat(CertificateRequests.verifiedPublicKey(csr, "request"))
        .isEqualTo(credential.leaf().getPublicKey());
    GeneralNames sans = GeneralNames.fromExtensions(
        csr.getRequestedExtensions(), Extension.subjectAlternativeName);
    assertThat(sans.getNames()).singleElement()
        .satisfies(n -> assertThat(n.getName().toString()).isEqualTo(REQUESTED.toString()));
    Duration lifetime = Duration.between(credential.leaf().getNotBefore().toInstant(),
        credential.leaf().getNotAfter().toInstant());
    assertThat(lifetime).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void defaultsToClusterKubernetesAndNoCertSigner() throws Exception {
    ca.expectedClusterId = "Kubernetes";

    build(unclusteredClientFor(ca)).fetch();

    assertThat(ca.headers.get(0).get(FakeIstioCa.CLUSTER_ID)).isEqualTo("Kubernetes");
    assertThat(ca.requests.get(0).hasMetadata()).isFalse();
  }

  @Test
  void sendsCertSignerInRequestMetadata() throws Exception {
    build(clientFor(ca).certSigner("istio-system/signer")).fetch();

    assertThat(ca.requests.get(0).getMetadata().getFieldsMap().get("CertSigner").getStringValue())
        .isEqualTo("istio-system/signer");
  }

  @Test
  void generatesRsaKeysWhenAsked() throws Exception {
    WorkloadCredential credential =
        build(clientFor(ca).keyAlgorithm(KeyAlgorithm.RSA_2048)).fetch();

    assertThat(credential.privateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(credential.leaf().getPublicKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void generatesANewKeyOnEveryFetch() throws Exception {
    IstioCaClient client = client();

    WorkloadCredential first = client.fetch();
    WorkloadCredential second = client.fetch();

    assertThat(second.leaf().getPublicKey()).isNotEqualTo(first.leaf().getPublicKey());
  }

  @Test
  void readsTheTokenFileOnEveryCall() throws Exception {
    IstioCaClient client = client();
    client.fetch();

    Files.writeString(tokenFile, "token-2");
    ca.expectedToken = "token-2";
    client.fetch();

    assertThat(ca.headers).extracting(h -> h.get(FakeIstioCa.AUTHORIZATION))
        .containsExactly("Bearer token-1", "Bearer token-2");
  }

  @Test
  void sendsNoAuthorizationWithoutTokenFile() throws Exception {
    ca.expectedToken = null;

    IstioCaClient client = track(IstioCaClient.newBuilder()
        .address(ca.address())
        .rootCertificates(mesh.rootCertificates())
        .clusterId(CLUSTER)
        .identity(REQUESTED)
        .build());
    client.fetch();

    assertThat(ca.headers.get(0).get(FakeIstioCa.AUTHORIZATION)).isNull();
  }

  @Test
  void reportsRejectedTokenNamingTheTokenFileAndCluster() throws Exception {
    ca.expectedToken = "another-token";

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the CA at " + ca.address() + " rejected the credentials")
        .hasMessageContaining("token file " + tokenFile)
        .hasMessageContaining("cluster " + CLUSTER)
        .hasMessageContaining("authenticate failure: bad token")
        .cause().satisfies(c -> assertThat(Status.fromThrowable(c).getCode())
            .isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void reportsPermissionDeniedAsRejectedCredentials() {
    ca.answer = request -> {
      throw Status.PERMISSION_DENIED.withDescription("not authorized for the identity")
          .asRuntimeException();
    };

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("rejected the credentials (token file " + tokenFile)
        .hasMessageContaining("not authorized for the identity");
  }

  @Test
  void failsWithoutCallingWhenTheTokenFileIsMissing() throws Exception {
    Files.delete(tokenFile);

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining(ca.address())
        .hasMessageContaining("the token file " + tokenFile + " does not exist");
    assertThat(ca.headers).isEmpty();
  }

  @Test
  void failsWithoutCallingWhenTheTokenFileIsEmpty() throws Exception {
    Files.writeString(tokenFile, " \n");

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the token file " + tokenFile + " is empty");
    assertThat(ca.headers).isEmpty();
  }

  @Test
  void rejectsAnswerThatIsNotPem() {
    ca.answer = request -> List.of("not a certificate", "neither");

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("cert_chain[0] from the CA at " + ca.address())
        .hasMessageContaining("no PEM certificate found");
  }

  @Test
  void rejectsChainWithOnlyOneCertificate() {
    FakeIstioCa.Answer full = FakeIstioCa.signingAs(mesh, ISSUED);
    ca.answer = request -> full.answer(request).subList(0, 1);

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the CA at " + ca.address() + " returned 1 certificate;");
  }

  @Test
  void rejectsEmptyChain() {
    ca.answer = request -> List.of();

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("returned 0 certificates");
  }

  @Test
  void rejectsLeafForAnotherKey() {
    ca.answer = request -> {
      KeyPair other = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
      String csr = Pem.write(CertificateRequests.create(other, ISSUED));
      return mesh.sign(csr, ISSUED, Duration.ofHours(1)).stream().map(Pem::write).toList();
    };

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining(ca.address())
        .hasMessageContaining("whose public key is not the one this request sent");
  }

  @Test
  void rejectsLeafThatIsNotAnSvid() {
    ca.answer = request -> {
      KeyPair key = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
      return mesh.signServer(key.getPublic(), List.of("web.example"), Duration.ofHours(1))
          .stream().map(Pem::write).toList();
    };

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining(ca.address())
        .hasMessageContaining("not an X.509-SVID")
        .hasMessageContaining("no URI SAN");
  }

  @Test
  void rejectsChainThatDoesNotVerifyToItsLastCertificate() {
    LocalCertificateAuthority other = LocalCertificateAuthority.inMemory(TRUST_DOMAIN);
    FakeIstioCa.Answer full = FakeIstioCa.signingAs(mesh, ISSUED);
    ca.answer = request -> List.of(
        full.answer(request).get(0), Pem.write(other.rootCertificates().get(0)));

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining(ca.address())
        .hasMessageContaining("does not verify to its last certificate")
        .hasMessageContaining("does not chain to the trust bundle of cluster.local");
  }

  @Test
  void acceptsElementHoldingIntermediateAndRoot() throws Exception {
    LocalCertificateAuthority intermediate = intermediateCa();
    X509Certificate intermediateCert = intermediate.sign(
        Pem.write(CertificateRequests.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), ISSUED)),
        ISSUED, Duration.ofHours(1)).get(1);
    ca.answer = request -> {
      List<X509Certificate> chain = intermediate.sign(request.getCsr(), ISSUED, Duration.ofHours(1));
      assertThat(chain).hasSize(3);
      // As istiod with a plug-in CA answers: the leaf, then the whole CA chain in one element.
      return List.of(Pem.write(chain.get(0)), Pem.write(chain.subList(1, 3)));
    };

    WorkloadCredential credential = client().fetch();

    assertThat(credential.chain()).hasSize(2);
    assertThat(credential.chain().get(1)).isEqualTo(intermediateCert);
    assertThat(credential.trustBundles().bundle(TRUST_DOMAIN))
        .hasValue(intermediate.rootCertificates());
    assertThat(X509Svids.verify(credential.chain(), credential.trustBundles(),
        X509Svids.Purpose.SERVER, new Date())).isEqualTo(ISSUED);
  }

  @Test
  void refusesCaWhoseTlsCertificateIsNotSignedByTheConfiguredRoot() throws Exception {
    FakeIstioCa impostor =
        startedCa(LocalCertificateAuthority.inMemory(TRUST_DOMAIN), List.of("127.0.0.1"));

    assertThatThrownBy(() -> build(clientFor(impostor)).fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the TLS certificate of the CA at " + impostor.address()
            + " did not verify against the configured root certificates");
    assertThat(impostor.requests).isEmpty();
  }

  @Test
  void refusesCaWhoseTlsCertificateDoesNotNameTheAuthority() {
    assertThatThrownBy(() -> build(clientFor(ca).authority("istiod.istio-system.svc")).fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("did not verify")
        .hasMessageContaining("(server name istiod.istio-system.svc)");
    assertThat(ca.requests).isEmpty();
  }

  @Test
  void verifiesTheAuthorityInsteadOfTheIpAddress() throws Exception {
    FakeIstioCa istiod = startedCa(mesh, List.of("istiod.istio-system.svc"));

    WorkloadCredential credential =
        build(clientFor(istiod).authority("istiod.istio-system.svc")).fetch();

    assertThat(X509Svids.leafIdentity(credential.leaf())).isEqualTo(ISSUED);
  }

  @Test
  void readsRootCertificatesFromFile() throws Exception {
    Path rootFile = dir.resolve("root-cert.pem");
    Files.writeString(rootFile, Pem.write(mesh.rootCertificates()));

    IstioCaClient client = track(IstioCaClient.newBuilder()
        .address(ca.address())
        .rootCertificatesFile(rootFile)
        .tokenFile(tokenFile)
        .clusterId(CLUSTER)
        .identity(REQUESTED)
        .build());

    assertThat(X509Svids.leafIdentity(client.fetch().leaf())).isEqualTo(ISSUED);
  }

  @Test
  void buildFailsWhenTheRootCertificatesFileIsMissing() {
    Path rootFile = dir.resolve("root-cert.pem");

    assertThatThrownBy(() -> build(clientFor(ca).rootCertificatesFile(rootFile)))
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining(rootFile + " does not exist");
  }

  @Test
  void reportsTheCaReasonForAnInvalidRequest() throws Exception {
    LocalCertificateAuthority strict = LocalCertificateAuthority.newBuilder()
        .trustDomain(TRUST_DOMAIN).maxTtl(Duration.ofDays(1)).build();
    ca.answer = FakeIstioCa.signingAs(strict, ISSUED);

    assertThatThrownBy(() -> build(clientFor(ca).ttl(Duration.ofDays(30))).fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the CA at " + ca.address() + " refused the certificate request")
        .hasMessageContaining("greater than the max allowed TTL");
  }

  @Test
  void reportsTimeoutWhenTheCaDoesNotAnswer() {
    ca.answer = request -> null;

    assertThatThrownBy(() -> build(clientFor(ca).callTimeout(Duration.ofMillis(300))).fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the CA at " + ca.address() + " did not answer")
        .hasMessageContaining("timed out after 300ms");
  }

  @Test
  void reportsOtherCaFailuresWithTheirStatus() {
    ca.answer = request -> {
      throw Status.INTERNAL.withDescription("CA not ready").asRuntimeException();
    };

    assertThatThrownBy(() -> client().fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the CA at " + ca.address())
        .hasMessageContaining("INTERNAL: CA not ready");
  }

  @Test
  void recoversWhenTheCaComesBackOnTheSamePort() throws Exception {
    IstioCaClient client = client();
    client.fetch();
    int port = ca.port();
    String address = ca.address();

    ca.stop();
    assertThatThrownBy(client::fetch)
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("the CA at " + address + " is unreachable");

    ca.start(port);
    await().atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(CertificateSourceException.class)
        .untilAsserted(() ->
            assertThat(X509Svids.leafIdentity(client.fetch().leaf())).isEqualTo(ISSUED));
  }

  @Test
  void workloadCertificatesRideOutACaOutageAndRotateWhenItIsBack() throws Exception {
    IstioCaClient client = build(clientFor(ca).ttl(Duration.ofSeconds(3)));
    int port = ca.port();
    try (WorkloadCertificates certificates = WorkloadCertificates.newBuilder(client)
        .backoff(Duration.ofMillis(200), Duration.ofMillis(500))
        .build()
        .start()) {
      CertificateSnapshot first = certificates.current();
      assertThat(first.identity()).isEqualTo(ISSUED);

      ca.stop();
      await().atMost(Duration.ofSeconds(5))
          .until(() -> java.time.Instant.now().isAfter(first.notBefore().plusSeconds(2)));
      assertThat(certificates.current()).isSameAs(first);

      ca.start(port);
      await().atMost(Duration.ofSeconds(20))
          .until(() -> certificates.current().generation() >= 2);
      assertThat(certificates.current().leaf()).isNotEqualTo(first.leaf());
    }
  }

  @Test
  void failsAfterClose() throws Exception {
    IstioCaClient client = client();
    client.close();

    assertThatThrownBy(client::fetch)
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void describesItselfByTheAddress() throws Exception {
    assertThat(client().description()).isEqualTo(ca.address());
  }

  @Test
  void builderRejectsMissingAndInvalidSettings() {
    IstioCaClient.Builder builder = IstioCaClient.newBuilder();

    assertThatThrownBy(() -> builder.address(null))
        .isInstanceOf(NullPointerException.class).hasMessage("hostAndPort");
    assertThatThrownBy(() -> builder.address("istiod.istio-system.svc"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no port");
    assertThatThrownBy(() -> builder.address("istiod:99999"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 65535");
    assertThatThrownBy(() -> builder.address("::1:15012"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in brackets");
    assertThatThrownBy(() -> builder.identity(SpiffeId.parse("spiffe://cluster.local")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a workload");
    assertThatThrownBy(() -> builder.ttl(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.callTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.clusterId(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.rootCertificates(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.tokenFile(null))
        .isInstanceOf(NullPointerException.class).hasMessage("tokenFile");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("address");
    builder.address("[::1]:15012");
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("identity");
    builder.identity(REQUESTED);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("rootCertificates");
  }

  /** A client of {@link #ca}, closed after the test. */
  private IstioCaClient client() throws CertificateSourceException {
    return build(clientFor(ca));
  }

  private IstioCaClient.Builder clientFor(FakeIstioCa target) {
    return unclusteredClientFor(target).clusterId(CLUSTER);
  }

  private IstioCaClient.Builder unclusteredClientFor(FakeIstioCa target) {
    return IstioCaClient.newBuilder()
        .address(target.address())
        .rootCertificates(mesh.rootCertificates())
        .tokenFile(tokenFile)
        .identity(REQUESTED)
        .callTimeout(Duration.ofSeconds(5));
  }

  /** Builds a client that is closed after the test. */
  private IstioCaClient build(IstioCaClient.Builder builder) throws CertificateSourceException {
    return track(builder.build());
  }

  /** Starts a CA on a free loopback port that signs for {@link #ISSUED} with {@link #mesh}. */
  private FakeIstioCa startedCa(LocalCertificateAuthority tlsIssuer, List<String> serverNames)
      throws IOException {
    FakeIstioCa started = new FakeIstioCa(tlsIssuer, serverNames);
    started.expectedToken = "token-1";
    started.expectedClusterId = CLUSTER;
    started.answer = FakeIstioCa.signingAs(mesh, ISSUED);
    toClose.add(started);
    return started.start(0);
  }

  private IstioCaClient track(IstioCaClient client) {
    toClose.add(0, client);
    return client;
  }

  private ListAppender<ILoggingEvent> captureLogs() {
    Logger logger = (Logger) LoggerFactory.getLogger(IstioCaClient.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    toClose.add(() -> logger.detachAppender(appender));
    return appender;
  }

  /**
   * A CA in Istio's plug-in layout whose signing certificate is an intermediate under a separate
   * root, so the chains it issues are leaf, intermediate, root.
   */
  private LocalCertificateAuthority intermediateCa() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    KeyPair rootKey = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    X509Certificate root =
        CaCertificates.root(rootKey, TRUST_DOMAIN, now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    KeyPair intermediateKey = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        root, BigInteger.valueOf(2), Date.from(now.minusSeconds(60)),
        Date.from(now.plus(Duration.ofDays(1))),
        new X500Name("O=cluster.local,CN=Intermediate CA"), intermediateKey.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
        .addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(intermediateKey.getPublic()))
        .addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(root));
    X509Certificate intermediate = new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));

    Path cacerts = Files.createDirectories(dir.resolve("cacerts"));
    Files.writeString(cacerts.resolve("ca-cert.pem"), Pem.write(intermediate));
    Files.writeString(cacerts.resolve("ca-key.pem"), Pem.write(intermediateKey.getPrivate()));
    Files.writeString(cacerts.resolve("root-cert.pem"), Pem.write(root));
    Files.writeString(cacerts.resolve("cert-chain.pem"), Pem.write(List.of(intermediate, root)));
    return LocalCertificateAuthority.newBuilder()
        .trustDomain(TRUST_DOMAIN).directory(cacerts).build();
  }
}
