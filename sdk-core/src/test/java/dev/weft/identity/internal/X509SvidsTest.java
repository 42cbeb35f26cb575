package dev.weft.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import dev.weft.identity.TrustDomain;
import dev.weft.identity.internal.X509Svids.Purpose;
import dev.weft.testing.TestCertificates;
import dev.weft.testing.TestCertificates.Issued;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

class X509SvidsTest {
  private static final TrustDomain LOCAL = TrustDomain.parse("cluster.local");
  private static final TrustDomain OTHER = TrustDomain.parse("other.example");
  private static final String WEB = "spiffe://cluster.local/ns/default/sa/web";

  private final Issued root = TestCertificates.ca("local root").issue();
  private final Issued otherRoot = TestCertificates.ca("other root").issue();
  private final TrustBundles localOnly = TrustBundles.of(LOCAL, List.of(root.certificate()));

  @Test
  void acceptsLeafSignedByItsTrustDomainRoot() throws Exception {
    Issued leaf = TestCertificates.leaf(WEB).signedBy(root).issue();

    assertThat(verify(localOnly, leaf.certificate())).isEqualTo(SpiffeId.parse(WEB));
  }

  @Test
  void acceptsChainThroughIntermediateAndTrailingRoot() throws Exception {
    Issued intermediate = TestCertificates.ca("intermediate").signedBy(root).issue();
    Issued leaf = TestCertificates.leaf(WEB).signedBy(intermediate).issue();

    assertThat(verify(localOnly, leaf.certificate(), intermediate.certificate(),
        root.certificate())).isEqualTo(SpiffeId.parse(WEB));
  }

  @Test
  void rejectsMissingIntermediate() {
    Issued intermediate = TestCertificates.ca("intermediate").signedBy(root).issue();
    Issued leaf = TestCertificates.leaf(WEB).signedBy(intermediate).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("does not chain to the trust bundle of cluster.local");
  }

  @Test
  void rejectsIntermediateThatIsNotCa() {
    Issued notCa = TestCertificates.ca("not a CA").isCa(false).signedBy(root).issue();
    Issued leaf = TestCertificates.leaf(WEB).signedBy(notCa).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate(), notCa.certificate()))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("intermediate 1");
  }

  @Test
  void rejectsLeafFromAnotherRoot() {
    Issued leaf = TestCertificates.leaf(WEB).signedBy(otherRoot).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("does not chain to the trust bundle of cluster.local");
  }

  @Test
  void rejectsTrustDomainWithoutBundle() {
    Issued leaf = TestCertificates.leaf("spiffe://other.example/ns/a/sa/b").signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("no trust bundle for trust domain other.example")
        .hasMessageContaining("trusted: [cluster.local]");
  }

  @Test
  void neverLetsOneDomainsRootVouchForAnother() throws Exception {
    // Both roots are trusted, each for its own domain: a local-root leaf claiming the other
    // domain must fail, which a merged pool would accept.
    TrustBundles both = TrustBundles.of(Map.of(
        LOCAL, List.of(root.certificate()), OTHER, List.of(otherRoot.certificate())));
    Issued forged = TestCertificates.leaf("spiffe://other.example/ns/a/sa/b").signedBy(root).issue();
    Issued genuine = TestCertificates.leaf("spiffe://other.example/ns/a/sa/b")
        .signedBy(otherRoot).issue();

    assertThatThrownBy(() -> verify(both, forged.certificate()))
        .hasMessageContaining("does not chain to the trust bundle of other.example");
    assertThat(verify(both, genuine.certificate()).trustDomain()).isEqualTo(OTHER);
  }

  @Test
  void emptyBundleTrustsNothing() {
    Issued leaf = TestCertificates.leaf(WEB).signedBy(root).issue();

    assertThatThrownBy(() -> verify(TrustBundles.of(LOCAL, List.of()), leaf.certificate()))
        .hasMessageContaining("trust bundle of cluster.local is empty");
  }

  @Test
  void rejectsExpiredLeaf() {
    Instant past = Instant.now().minus(Duration.ofDays(2));
    Issued leaf = TestCertificates.leaf(WEB).signedBy(root)
        .validity(past, past.plus(Duration.ofDays(1))).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("the certificate expired at");
  }

  @Test
  void rejectsNotYetValidLeaf() {
    Instant future = Instant.now().plus(Duration.ofDays(1));
    Issued leaf = TestCertificates.leaf(WEB).signedBy(root)
        .validity(future, future.plus(Duration.ofDays(1))).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("is not valid before");
  }

  @Test
  void rejectsExpiredIntermediate() {
    Instant past = Instant.now().minus(Duration.ofDays(2));
    Issued intermediate = TestCertificates.ca("old intermediate").signedBy(root)
        .validity(past, past.plus(Duration.ofDays(1))).issue();
    Issued leaf = TestCertificates.leaf(WEB).signedBy(intermediate).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate(), intermediate.certificate()))
        .hasMessageContaining("intermediate 1")
        .hasMessageContaining("expired at");
  }

  @Test
  void rejectsCaLeaf() {
    Issued leaf = TestCertificates.leaf(WEB).isCa(true).signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("is a CA certificate");
  }

  @Test
  void rejectsLeafWithKeyCertSign() {
    Issued leaf = TestCertificates.leaf(WEB)
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("keyCertSign");
  }

  @Test
  void rejectsLeafWithCrlSign() {
    Issued leaf = TestCertificates.leaf(WEB)
        .keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign).signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("cRLSign");
  }

  @Test
  void rejectsLeafWithoutDigitalSignature() {
    Issued leaf = TestCertificates.leaf(WEB).keyUsage(KeyUsage.keyEncipherment)
        .signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("lacks the digitalSignature key usage");
  }

  @Test
  void rejectsLeafWithoutKeyUsage() {
    Issued leaf = TestCertificates.leaf(WEB).keyUsage(null).signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("has no keyUsage extension");
  }

  @Test
  void rejectsTwoUriSans() {
    Issued leaf = TestCertificates.leaf(WEB).uri("spiffe://cluster.local/ns/default/sa/admin")
        .signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("has 2 URI SANs");
  }

  @Test
  void rejectsSpiffeIdNextToAnotherUri() {
    Issued leaf = TestCertificates.leaf(WEB).uri("https://example.org/").signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("has 2 URI SANs");
  }

  @Test
  void rejectsLeafWithoutUriSan() {
    Issued leaf = TestCertificates.ca("x").isCa(false)
        .keyUsage(KeyUsage.digitalSignature).dns("web.default.svc").signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("has no URI SAN");
  }

  @Test
  void rejectsNonSpiffeUri() {
    Issued leaf = TestCertificates.leaf("https://web.example.org/").signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("URI SAN is not a SPIFFE ID");
  }

  @Test
  void rejectsTrustDomainIdAsLeaf() {
    Issued leaf = TestCertificates.leaf("spiffe://cluster.local").signedBy(root).issue();

    assertThatThrownBy(() -> verify(localOnly, leaf.certificate()))
        .hasMessageContaining("names a trust domain, not a workload");
  }

  @Test
  void extendedKeyUsageMustAllowThePurpose() throws Exception {
    Issued serverOnly = TestCertificates.leaf(WEB)
        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).signedBy(root).issue();
    List<X509Certificate> chain = List.of(serverOnly.certificate());

    assertThat(X509Svids.verify(chain, localOnly, Purpose.SERVER, new Date()))
        .isEqualTo(SpiffeId.parse(WEB));
    assertThatThrownBy(() -> X509Svids.verify(chain, localOnly, Purpose.CLIENT, new Date()))
        .hasMessageContaining("does not allow clientAuth");
  }

  @Test
  void absentExtendedKeyUsageAllowsBoth() throws Exception {
    Issued leaf = TestCertificates.leaf(WEB).extendedKeyUsage().signedBy(root).issue();

    assertThat(verify(localOnly, leaf.certificate())).isEqualTo(SpiffeId.parse(WEB));
  }

  private static SpiffeId verify(TrustBundles bundles, X509Certificate... chain)
      throws CertificateException {
    return X509Svids.verify(List.of(chain), bundles, Purpose.CLIENT, new Date());
  }
}
