package dev.weft.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileCertificateSourceTest {
  private static final TrustDomain CLUSTER_LOCAL = TrustDomain.parse("cluster.local");
  private static final SpiffeId WEB = SpiffeId.forServiceAccount(CLUSTER_LOCAL, "default", "web");
  private static final Duration FAST_POLL = Duration.ofMillis(50);
  private static final Duration QUIET_PERIOD = Duration.ofMillis(400);

  private final LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(CLUSTER_LOCAL);

  @TempDir Path dir;

  @Test
  void readsTheCredentialIstioAgentWrites() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());

    WorkloadCredential credential = FileCertificateSource.inDirectory(dir).fetch();

    assertThat(credential.leaf()).isEqualTo(issued.chain().get(0));
    assertThat(credential.privateKey()).isEqualTo(issued.keyPair().getPrivate());
    assertThat(credential.trustBundles()).isEqualTo(ca.trustBundles());
  }

  @Test
  void acceptsAChainThatEndsWithTheRootAndPresentsItWithoutTheRoot() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    assertThat(issued.chain()).hasSize(2).endsWith(ca.rootCertificates().get(0));
    writeCredential(dir, issued, ca.rootCertificates());

    assertThat(FileCertificateSource.inDirectory(dir).fetch().chain())
        .containsExactly(issued.chain().get(0));
  }

  @Test
  void acceptsAChainOfTheLeafAlone() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    SecureFiles.writePublic(dir.resolve("cert-chain.pem"), Pem.write(issued.chain().get(0)));

    assertThat(FileCertificateSource.inDirectory(dir).fetch().leaf())
        .isEqualTo(issued.chain().get(0));
  }

  @Test
  void readsASec1EcKey() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    SecureFiles.writeSecret(dir.resolve("key.pem"), sec1Pem(issued.keyPair()));

    assertThat(KeyPairs.matches(FileCertificateSource.inDirectory(dir).fetch().privateKey(),
        issued.keyPair().getPublic())).isTrue();
  }

  @Test
  void readsAPkcs1RsaKey() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.RSA_2048);
    writeCredential(dir, issued, ca.rootCertificates());
    StringWriter pkcs1 = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pkcs1)) {
      writer.writeObject(issued.keyPair());
    }
    assertThat(pkcs1.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    SecureFiles.writeSecret(dir.resolve("key.pem"), pkcs1.toString());

    assertThat(KeyPairs.matches(FileCertificateSource.inDirectory(dir).fetch().privateKey(),
        issued.keyPair().getPublic())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/certs", "/var/run/secrets/workload-spiffe-credentials"})
  void readsBothIstioDirectoryLayouts(String istioDirectory) throws Exception {
    assertThat(List.of(FileCertificateSource.ISTIO_CERTS_DIRECTORY,
        FileCertificateSource.WORKLOAD_SPIFFE_CREDENTIALS_DIRECTORY))
        .contains(Path.of(istioDirectory));
    Path layout = dir.resolve(istioDirectory.substring(1));
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(layout, issued, ca.rootCertificates());

    assertThat(FileCertificateSource.inDirectory(layout).fetch().leaf())
        .isEqualTo(issued.chain().get(0));
  }

  @Test
  void readsFilesAtExplicitPaths() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    Path chain = dir.resolve("certs/workload.crt");
    Path key = dir.resolve("private/workload.key");
    Path roots = dir.resolve("trust/ca.crt");
    SecureFiles.writePublic(chain, Pem.write(issued.chain()));
    SecureFiles.writeSecret(key, Pem.write(issued.keyPair().getPrivate()));
    SecureFiles.writePublic(roots, Pem.write(ca.rootCertificates()));

    FileCertificateSource source = FileCertificateSource.newBuilder()
        .certificateChainFile(chain).privateKeyFile(key).rootCertificatesFile(roots).build();

    assertThat(source.fetch().leaf()).isEqualTo(issued.chain().get(0));
    assertThat(source.description()).isEqualTo("files " + chain + ", " + key + ", " + roots);
  }

  @Test
  void describesTheFilesAndTheirDirectory() {
    assertThat(FileCertificateSource.inDirectory(dir).description())
        .isEqualTo("files cert-chain.pem, key.pem, root-cert.pem in " + dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cert-chain.pem", "key.pem", "root-cert.pem"})
  void namesAMissingFile(String name) throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    Files.delete(dir.resolve(name));

    assertFetchFails(dir.resolve(name) + " is missing");
  }

  @Test
  void namesAFileThatCannotBeRead() throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    Files.delete(dir.resolve("key.pem"));
    Files.createDirectory(dir.resolve("key.pem"));

    assertFetchFails("cannot read " + dir.resolve("key.pem"));
  }

  @Test
  void namesAFileWithMalformedPem() throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    SecureFiles.writePublic(dir.resolve("cert-chain.pem"),
        "-----BEGIN CERTIFICATE-----\nthis is not base64!\n-----END CERTIFICATE-----\n");

    assertFetchFails(dir.resolve("cert-chain.pem") + ": malformed PEM");
  }

  @Test
  void namesAChainFileWithNoCertificate() throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    SecureFiles.writePublic(dir.resolve("cert-chain.pem"), "nothing to see here\n");

    assertFetchFails(dir.resolve("cert-chain.pem") + ": no PEM certificate found");
  }

  @Test
  void namesARootFileHoldingSomethingElse() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    SecureFiles.writePublic(dir.resolve("root-cert.pem"), Pem.write(issued.keyPair().getPrivate()));

    assertFetchFails(dir.resolve("root-cert.pem")
        + ": PEM block 1 is \"PRIVATE KEY\", expected \"CERTIFICATE\"");
  }

  @Test
  void refusesAnEncryptedKey() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    StringWriter encrypted = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(encrypted)) {
      writer.writeObject(issued.keyPair(),
          new JcePEMEncryptorBuilder("AES-256-CBC")
              .setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
    }
    SecureFiles.writeSecret(dir.resolve("key.pem"), encrypted.toString());

    assertFetchFails(dir.resolve("key.pem") + ": the private key is encrypted");
  }

  @Test
  void refusesAKeyThatIsNotTheLeafsKey() throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    SecureFiles.writeSecret(dir.resolve("key.pem"),
        Pem.write(KeyPairs.generate(KeyAlgorithm.ECDSA_P256).getPrivate()));

    assertFetchFails(dir.resolve("key.pem") + " is not the private key of the leaf certificate in "
        + dir.resolve("cert-chain.pem"));
  }

  @Test
  void refusesALeafThatIsNotAnX509Svid() throws Exception {
    KeyPair keyPair = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    List<X509Certificate> serverChain =
        ca.signServer(keyPair.getPublic(), List.of("istiod.istio-system.svc"), Duration.ofHours(1));
    writeCredential(dir, new Issued(keyPair, serverChain), ca.rootCertificates());

    assertFetchFails(dir.resolve("cert-chain.pem")
        + ": the leaf certificate is not a valid X.509-SVID: the certificate", "has no URI SAN");
  }

  @Test
  void refusesAChainThatDoesNotVerifyAgainstTheRoots() throws Exception {
    LocalCertificateAuthority otherCa = LocalCertificateAuthority.inMemory(CLUSTER_LOCAL);
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), otherCa.rootCertificates());

    assertFetchFails(dir.resolve("cert-chain.pem") + " does not verify against "
        + dir.resolve("root-cert.pem") + ": the certificate chain of " + WEB,
        "the chain ends with the root \"O=cluster.local\", which root-cert.pem does not hold");
  }

  @Test
  void refusesALeafAloneThatDoesNotVerifyAgainstTheRoots() throws Exception {
    LocalCertificateAuthority otherCa = LocalCertificateAuthority.inMemory(CLUSTER_LOCAL);
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, new Issued(issued.keyPair(), issued.chain().subList(0, 1)),
        otherCa.rootCertificates());

    assertFetchFails(dir.resolve("cert-chain.pem") + " does not verify against "
        + dir.resolve("root-cert.pem") + ": the certificate chain of " + WEB
        + ": it does not chain to the trust bundle of cluster.local");
  }

  @Test
  void refusesAnExpiredLeaf() throws Exception {
    LocalCertificateAuthority pastCa = LocalCertificateAuthority.newBuilder()
        .trustDomain(CLUSTER_LOCAL)
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-2)))
        .build();
    writeCredential(dir, issue(pastCa, KeyAlgorithm.ECDSA_P256), pastCa.rootCertificates());

    assertFetchFails(dir.resolve("cert-chain.pem") + " does not verify against "
        + dir.resolve("root-cert.pem"), "expired at");
  }

  @Test
  void reloadsWhenFilesAreRewritten() throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    try (FileCertificateSource source = pollingFast(dir)) {
      AtomicInteger changes = new AtomicInteger();
      source.watch(changes::incrementAndGet);

      Issued renewed = issue(ca, KeyAlgorithm.ECDSA_P256);
      writeCredential(dir, renewed, ca.rootCertificates());

      await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() >= 1);
      await().atMost(Duration.ofSeconds(5))
          .until(() -> source.fetch().leaf().equals(renewed.chain().get(0)));
    }
  }

  @Test
  void callsBackOncePerChange() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    try (FileCertificateSource source = pollingFast(dir)) {
      AtomicInteger changes = new AtomicInteger();
      source.watch(changes::incrementAndGet);

      SecureFiles.writePublic(dir.resolve("cert-chain.pem"), Pem.write(issued.chain().get(0)));

      await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 1);
      await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(3))
          .until(() -> changes.get() == 1);
    }
  }

  @Test
  void ignoresFilesRewrittenWithTheSameContent() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    try (FileCertificateSource source = pollingFast(dir)) {
      AtomicInteger changes = new AtomicInteger();
      source.watch(changes::incrementAndGet);

      writeCredential(dir, issued, ca.rootCertificates());

      await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(3))
          .until(() -> changes.get() == 0);
    }
  }

  @Test
  void detectsAKubernetesSecretVolumeSymlinkSwap() throws Exception {
    Issued first = issue(ca, KeyAlgorithm.ECDSA_P256);
    kubernetesSecretVolume(dir, "..2025_01_01_00_00_00.1", first);
    for (String name : List.of("cert-chain.pem", "key.pem", "root-cert.pem")) {
      Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
    }
    try (FileCertificateSource source = pollingFast(dir)) {
      assertThat(source.fetch().leaf()).isEqualTo(first.chain().get(0));
      AtomicInteger changes = new AtomicInteger();
      source.watch(changes::incrementAndGet);

      Issued second = issue(ca, KeyAlgorithm.ECDSA_P256);
      kubernetesSecretVolume(dir, "..2025_01_01_12_00_00.2", second);

      await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 1);
      assertThat(source.fetch().leaf()).isEqualTo(second.chain().get(0));
    }
  }

  @Test
  void reportsFilesThatAppearAfterWatchingStarted() throws Exception {
    try (FileCertificateSource source = pollingFast(dir)) {
      AtomicInteger changes = new AtomicInteger();
      source.watch(changes::incrementAndGet);

      writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());

      await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() >= 1);
    }
  }

  @Test
  void notifiesEveryListenerEvenAfterOneFails() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    try (FileCertificateSource source = pollingFast(dir)) {
      AtomicInteger failing = new AtomicInteger();
      AtomicInteger healthy = new AtomicInteger();
      source.watch(() -> {
        failing.incrementAndGet();
        throw new IllegalStateException("listener bug");
      });
      source.watch(healthy::incrementAndGet);

      SecureFiles.writePublic(dir.resolve("cert-chain.pem"), Pem.write(issued.chain().get(0)));
      await().atMost(Duration.ofSeconds(5)).until(() -> healthy.get() == 1);

      SecureFiles.writePublic(dir.resolve("cert-chain.pem"), Pem.write(issued.chain()));
      await().atMost(Duration.ofSeconds(5)).until(() -> healthy.get() == 2);
      assertThat(failing.get()).isEqualTo(2);
    }
  }

  @Test
  void closeStopsPolling() throws Exception {
    Issued issued = issue(ca, KeyAlgorithm.ECDSA_P256);
    writeCredential(dir, issued, ca.rootCertificates());
    FileCertificateSource source = pollingFast(dir);
    AtomicInteger changes = new AtomicInteger();
    source.watch(changes::incrementAndGet);
    assertThat(pollerThreadRuns()).isTrue();

    source.close();
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());

    await().atMost(Duration.ofSeconds(5)).until(() -> !pollerThreadRuns());
    await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(3))
        .until(() -> changes.get() == 0);
    assertThatThrownBy(() -> source.watch(changes::incrementAndGet))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void workloadCertificatesRotateWhenTheAgentRewritesTheFilesAndRefuseAHalfWrittenSet()
      throws Exception {
    writeCredential(dir, issue(ca, KeyAlgorithm.ECDSA_P256), ca.rootCertificates());
    try (WorkloadCertificates certificates =
             WorkloadCertificates.newBuilder(pollingFast(dir)).build().start()) {
      CertificateSnapshot first = certificates.current();

      // A new chain lands before its key: the mismatched pair must never be served.
      Issued next = issue(ca, KeyAlgorithm.ECDSA_P256);
      SecureFiles.writePublic(dir.resolve("cert-chain.pem"), Pem.write(next.chain()));
      await().during(QUIET_PERIOD).atMost(QUIET_PERIOD.multipliedBy(3))
          .until(() -> certificates.current() == first);

      SecureFiles.writeSecret(dir.resolve("key.pem"), Pem.write(next.keyPair().getPrivate()));
      await().atMost(Duration.ofSeconds(5))
          .until(() -> certificates.current().leaf().equals(next.chain().get(0)));
      assertThat(certificates.current().privateKey()).isEqualTo(next.keyPair().getPrivate());
      assertThat(certificates.current().generation()).isEqualTo(2);
    }
  }

  private void assertFetchFails(String... messageParts) {
    assertThatThrownBy(() -> FileCertificateSource.inDirectory(dir).fetch())
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContainingAll(messageParts);
  }

  private static FileCertificateSource pollingFast(Path directory) {
    return FileCertificateSource.newBuilder().directory(directory).pollInterval(FAST_POLL).build();
  }

  private static boolean pollerThreadRuns() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(FileCertificateSource.POLLER_THREAD_NAME) && t.isAlive());
  }

  /** A key and the chain a CA signed for it, leaf first, root last. */
  private record Issued(KeyPair keyPair, List<X509Certificate> chain) {}

  private static Issued issue(LocalCertificateAuthority ca, KeyAlgorithm algorithm)
      throws CertificateSourceException {
    KeyPair keyPair = KeyPairs.generate(algorithm);
    String csr = Pem.write(CertificateRequests.create(keyPair, WEB));
    return new Issued(keyPair, ca.sign(csr, WEB, Duration.ofHours(1)));
  }

  /** Writes the three files as istio-agent does: PKCS#8 key, full chain, roots. */
  private static void writeCredential(Path directory, Issued issued, List<X509Certificate> roots)
      throws IOException {
    SecureFiles.writeSecret(directory.resolve("key.pem"), Pem.write(issued.keyPair().getPrivate()));
    SecureFiles.writePublic(directory.resolve("cert-chain.pem"), Pem.write(issued.chain()));
    SecureFiles.writePublic(directory.resolve("root-cert.pem"), Pem.write(roots));
  }

  /**
   * Publishes a credential the way the kubelet updates a secret volume: the files go into a new
   * timestamped directory, then the {@code ..data} symlink is renamed over to point at it.
   */
  private void kubernetesSecretVolume(Path volume, String version, Issued issued)
      throws IOException {
    writeCredential(volume.resolve(version), issued, ca.rootCertificates());
    Path newLink = Files.createSymbolicLink(volume.resolve("..data_tmp"), Path.of(version));
    Files.move(newLink, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The key as an {@code EC PRIVATE KEY} (SEC1) block with its curve and public key, as openssl
   * and Go write it. BouncyCastle's PEM writer leaves the curve out for a JDK key, which neither
   * openssl nor anything else can read back.
   */
  private static String sec1Pem(KeyPair keyPair) throws IOException {
    ASN1Encodable curve = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded())
        .getPrivateKeyAlgorithm().getParameters();
    ECPrivateKey sec1 = new ECPrivateKey(256,
        ((java.security.interfaces.ECPrivateKey) keyPair.getPrivate()).getS(),
        SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()).getPublicKeyData(),
        curve);
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    return out.toString();
  }
}
