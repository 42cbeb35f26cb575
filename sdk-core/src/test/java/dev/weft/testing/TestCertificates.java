package dev.weft.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds test certificates of any shape, including the invalid ones a verifier must refuse:
 * CA leaves, wrong key usages, several URI SANs, expired or not yet valid.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  /** A certificate with the key pair it was issued for. */
  public record Issued(X509Certificate certificate, KeyPair keyPair) {}

  private String subject = "";
  private final List<GeneralName> names = new ArrayList<>();
  private boolean ca;
  private Integer keyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment;
  private KeyPurposeId[] extendedKeyUsage =
      {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
  private Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS);
  private Instant notAfter = Instant.now().plus(1, ChronoUnit.HOURS);
  private Issued issuer;

  private TestCertificates() {}

  /** A workload leaf for {@code spiffeId}: not a CA, the usual key usages, valid for an hour. */
  public static TestCertificates leaf(String spiffeId) {
    return new TestCertificates().uri(spiffeId);
  }

  /** A CA: basicConstraints cA=true, keyCertSign and cRLSign, no extended key usage. */
  public static TestCertificates ca(String commonName) {
    TestCertificates b = new TestCertificates();
    b.subject = "CN=" + commonName;
    b.ca = true;
    b.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    b.extendedKeyUsage = null;
    return b;
  }

  public TestCertificates uri(String uri) {
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
    return this;
  }

  public TestCertificates dns(String name) {
    names.add(new GeneralName(GeneralName.dNSName, name));
    return this;
  }

  public TestCertificates isCa(boolean ca) {
    this.ca = ca;
    return this;
  }

  /** Key usage bits from {@link KeyUsage}, or null for no keyUsage extension. */
  public TestCertificates keyUsage(Integer bits) {
    this.keyUsage = bits;
    return this;
  }

  public TestCertificates extendedKeyUsage(KeyPurposeId... purposes) {
    this.extendedKeyUsage = purposes.length == 0 ? null : purposes;
    return this;
  }

  public TestCertificates validity(Instant notBefore, Instant notAfter) {
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    return this;
  }

  public TestCertificates validFor(Duration duration) {
    this.notBefore = Instant.now().minusSeconds(1);
    this.notAfter = this.notBefore.plus(duration);
    return this;
  }

  public TestCertificates signedBy(Issued issuer) {
    this.issuer = issuer;
    return this;
  }

  public Issued issue() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keyPair = generator.generateKeyPair();
      X500Name subjectName = new X500Name(subject);
      X500Name issuerName = issuer == null ? subjectName
          : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuerName, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore),
          Date.from(notAfter), subjectName, keyPair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (keyUsage != null) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
      }
      if (extendedKeyUsage != null) {
        builder.addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(extendedKeyUsage));
      }
      if (!names.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, subject.isEmpty(),
            new GeneralNames(names.toArray(new GeneralName[0])));
      }
      KeyPair signer = issuer == null ? keyPair : issuer.keyPair();
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
      return new Issued(certificate, keyPair);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
