package dev.weft.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.cert.internal.CertificateRequests;
import dev.weft.cert.internal.KeyPairs;
import dev.weft.cert.internal.Pem;
import dev.weft.cert.internal.SecureFiles;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.identity.internal.X509Svids;
import dev.weft.testing.TestCertificates;
import dev.weft.testing.TestCertificates.Issued;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {
  private static final TrustDomain TD = TrustDomain.parse("cluster.local");
  private static final SpiffeId WEB = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/web");

  @TempDir Path dir;

  @Test
  void signsForTheCallersIdentityNotTheRequested() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(TD);
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    String csrAskingForAdmin = Pem.write(CertificateRequests.create(
        keys, SpiffeId.parse("spiffe://cluster.local/ns/kube-system/sa/admin")));

    List<X509Certificate> chain = ca.sign(csrAskingForAdmin, WEB, Duration.ofHours(1));

    assertThat(X509Svids.leafIdentity(chain.get(0))).isEqualTo(WEB);
    assertThat(chain.get(0).getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(chain).hasSize(2).last().isEqualTo(ca.rootCertificates().get(0));
    assertThat(X509Svids.verify(chain, ca.trustBundles(), X509Svids.Purpose.SERVER, new Date()))
        .isEqualTo(WEB);
  }

  @Test
  void zeroTtlGetsTheDefault() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.newBuilder()
        .defaultTtl(Duration.ofHours(3)).build();

    X509Certificate leaf = ca.sign(csr(), WEB, Duration.ZERO).get(0);

    assertThat(lifetime(leaf)).isEqualTo(Duration.ofHours(3));
  }

  @Test
  void honoursTheRequestedTtl() throws Exception {
    X509Certificate leaf = LocalCertificateAuthority.inMemory(TD)
        .sign(csr(), WEB, Duration.ofMinutes(10)).get(0);

    assertThat(lifetime(leaf)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void rejectsTtlAboveTheMaximumLikeIstiod() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.newBuilder()
        .maxTtl(Duration.ofHours(48)).build();

    assertThatThrownBy(() -> ca.sign(csr(), WEB, Duration.ofHours(49)))
        .isInstanceOf(CertificateSourceException.class)
        .hasMessageContaining("requested TTL 2d1h is greater than the max allowed TTL 2d");
  }

  @Test
  void rejectsRequestWhoseSignatureDoesNotMatchItsKey() throws Exception {
    // A request whose public key was swapped after signing: same structure, broken signature.
    KeyPair signer = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    KeyPair other = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);
    byte[] der = CertificateRequests.create(signer, WEB).getEncoded();
    byte[] signerKey = signer.getPublic().getEncoded();
    byte[] otherKey = other.getPublic().getEncoded();
    int at = indexOf(der, signerKey);
    System.arraycopy(otherKey, 0, der, at, otherKey.length);
    String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";

    assertThatThrownBy(() -> LocalCertificateAuthority.inMemory(TD)
        .sign(tampered, WEB, Duration.ofHours(1)))
        .hasMessageContaining("signature does not match its public key");
  }

  @Test
  void rejectsGarbageRequest() {
    assertThatThrownBy(() -> LocalCertificateAuthority.inMemory(TD)
        .sign("hello", WEB, Duration.ofHours(1)))
        .hasMessageContaining("expected one PEM CERTIFICATE REQUEST, found 0");
  }

  @Test
  void refusesToIssueATrustDomainId() {
    assertThatThrownBy(() -> LocalCertificateAuthority.inMemory(TD)
        .sign(csr(), SpiffeId.parse("spiffe://cluster.local"), Duration.ofHours(1)))
        .hasMessageContaining("it has no path");
  }

  @Test
  void refusesToIssueAnIdentityOfAnotherTrustDomain() {
    assertThatThrownBy(() -> LocalCertificateAuthority.inMemory(TD)
        .sign(csr(), SpiffeId.parse("spiffe://other.example/ns/a/sa/b"), Duration.ofHours(1)))
        .hasMessageContaining("this CA issues identities in trust domain cluster.local");
  }

  @Test
  void aLoadedCaKeepsTheTrustDomainItsRootNames() throws Exception {
    Path caDir = dir.resolve("example");
    LocalCertificateAuthority.newBuilder().trustDomain(TrustDomain.parse("example.org"))
        .directory(caDir).build();

    assertThat(LocalCertificateAuthority.newBuilder().directory(caDir).build().trustDomain())
        .isEqualTo(TrustDomain.parse("example.org"));
    assertThatThrownBy(() -> LocalCertificateAuthority.newBuilder()
        .trustDomain(TD).directory(caDir).build())
        .hasMessageContaining("is for trust domain example.org")
        .hasMessageContaining("not cluster.local");
  }

  @Test
  void rootIsACaNamedAfterItsTrustDomain() throws Exception {
    X509Certificate root = LocalCertificateAuthority.inMemory(TD).rootCertificates().get(0);

    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getSubjectX500Principal().getName()).isEqualTo("O=cluster.local");
    assertThat(root.getSubjectAlternativeNames())
        .containsExactly(List.of(6, "spiffe://cluster.local"));
  }

  @Test
  void persistsInIstioPluginLayoutAndLoadsTheSameRoot() throws Exception {
    Path caDir = dir.resolve("ca");
    LocalCertificateAuthority created = LocalCertificateAuthority.newBuilder()
        .directory(caDir).build();

    assertThat(caDir.resolve("ca-cert.pem")).exists();
    assertThat(caDir.resolve("cert-chain.pem")).exists();
    assertThat(caDir.resolve("root-cert.pem")).exists();
    assertThat(Files.getPosixFilePermissions(caDir.resolve("ca-key.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    LocalCertificateAuthority loaded = LocalCertificateAuthority.newBuilder()
        .directory(caDir).build();
    assertThat(loaded.rootCertificates()).isEqualTo(created.rootCertificates());
    List<X509Certificate> chain = loaded.sign(csr(), WEB, Duration.ofHours(1));
    assertThat(X509Svids.verify(chain, created.trustBundles(), X509Svids.Purpose.CLIENT,
        new Date())).isEqualTo(WEB);
  }

  @Test
  void issuesThroughAnIntermediateFromThePluginLayout() throws Exception {
    Issued root = TestCertificates.ca("offline root").issue();
    Issued intermediate = TestCertificates.ca("cluster intermediate").signedBy(root).issue();
    Path caDir = dir.resolve("plugged");
    SecureFiles.writeSecret(caDir.resolve("ca-key.pem"),
        Pem.write(intermediate.keyPair().getPrivate()));
    SecureFiles.writePublic(caDir.resolve("ca-cert.pem"), Pem.write(intermediate.certificate()));
    SecureFiles.writePublic(caDir.resolve("root-cert.pem"), Pem.write(root.certificate()));
    SecureFiles.writePublic(caDir.resolve("cert-chain.pem"),
        Pem.write(List.of(intermediate.certificate(), root.certificate())));

    LocalCertificateAuthority ca = LocalCertificateAuthority.newBuilder().directory(caDir).build();
    List<X509Certificate> chain = ca.sign(csr(), WEB, Duration.ofHours(1));

    assertThat(chain).hasSize(3);
    assertThat(chain.get(1)).isEqualTo(intermediate.certificate());
    assertThat(chain.get(2)).isEqualTo(root.certificate());
  }

  @Test
  void refusesADirectoryWithPartOfACa() throws Exception {
    Path caDir = dir.resolve("partial");
    LocalCertificateAuthority.newBuilder().directory(caDir).build();
    Files.delete(caDir.resolve("ca-key.pem"));

    assertThatThrownBy(() -> LocalCertificateAuthority.newBuilder().directory(caDir).build())
        .hasMessageContaining("holds part of a CA");
  }

  @Test
  void refusesAKeyThatIsNotTheCasKey() throws Exception {
    Path caDir = dir.resolve("mismatch");
    LocalCertificateAuthority.newBuilder().directory(caDir).build();
    SecureFiles.writeSecret(caDir.resolve("ca-key.pem"),
        Pem.write(KeyPairs.generate(KeyAlgorithm.ECDSA_P256).getPrivate()));

    assertThatThrownBy(() -> LocalCertificateAuthority.newBuilder().directory(caDir).build())
        .hasMessageContaining("ca-key.pem is not the private key of the certificate in");
  }

  @Test
  void refusesMalformedPemNamingTheFile() throws Exception {
    Path caDir = dir.resolve("garbage");
    LocalCertificateAuthority.newBuilder().directory(caDir).build();
    Files.writeString(caDir.resolve("root-cert.pem"), "-----BEGIN CERTIFICATE-----\nnope\n");

    assertThatThrownBy(() -> LocalCertificateAuthority.newBuilder().directory(caDir).build())
        .hasMessageContaining("root-cert.pem");
  }

  @Test
  void refusesACaCertificateThatIsNotACa() throws Exception {
    Issued root = TestCertificates.ca("root").issue();
    Issued notCa = TestCertificates.ca("pretend").isCa(false).signedBy(root).issue();
    Path caDir = dir.resolve("notca");
    SecureFiles.writeSecret(caDir.resolve("ca-key.pem"), Pem.write(notCa.keyPair().getPrivate()));
    SecureFiles.writePublic(caDir.resolve("ca-cert.pem"), Pem.write(notCa.certificate()));
    SecureFiles.writePublic(caDir.resolve("root-cert.pem"), Pem.write(root.certificate()));

    assertThatThrownBy(() -> LocalCertificateAuthority.newBuilder().directory(caDir).build())
        .hasMessageContaining("ca-cert.pem: the certificate is not a CA");
  }

  @Test
  void refusesACaThatDoesNotChainToItsRoot() throws Exception {
    Issued root = TestCertificates.ca("root").issue();
    Issued stranger = TestCertificates.ca("stranger").issue();
    Issued intermediate = TestCertificates.ca("intermediate").signedBy(stranger).issue();
    Path caDir = dir.resolve("unchained");
    SecureFiles.writeSecret(caDir.resolve("ca-key.pem"),
        Pem.write(intermediate.keyPair().getPrivate()));
    SecureFiles.writePublic(caDir.resolve("ca-cert.pem"), Pem.write(intermediate.certificate()));
    SecureFiles.writePublic(caDir.resolve("root-cert.pem"), Pem.write(root.certificate()));

    assertThatThrownBy(() -> LocalCertificateAuthority.newBuilder().directory(caDir).build())
        .hasMessageContaining("does not chain to root-cert.pem");
  }

  @Test
  void issuesServerCertificatesNamedByHost() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(TD);
    KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256);

    X509Certificate leaf = ca.signServer(keys.getPublic(), List.of("localhost", "127.0.0.1"),
        Duration.ofHours(1)).get(0);

    assertThat(leaf.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
  }

  @Test
  void sourceProducesAVerifiableCredential() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.inMemory(TD);

    WorkloadCredential credential =
        ca.sourceFor(WEB, KeyAlgorithm.RSA_2048, Duration.ofHours(2)).fetch();

    assertThat(credential.privateKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(credential.chain()).hasSize(1);
    assertThat(X509Svids.leafIdentity(credential.leaf())).isEqualTo(WEB);
    assertThat(credential.trustBundles()).isEqualTo(ca.trustBundles());
  }

  private static String csr() {
    return Pem.write(CertificateRequests.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256), WEB));
  }

  private static Duration lifetime(X509Certificate certificate) {
    return Duration.between(certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
