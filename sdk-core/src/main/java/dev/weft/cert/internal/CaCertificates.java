package dev.weft.cert.internal;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.io.IOException;
import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/** Builds the certificates a Weft CA issues: its self-signed root and workload SVIDs. */
public final class CaCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final X500Principal EMPTY_SUBJECT = new X500Principal(new byte[] {0x30, 0x00});

  private CaCertificates() {}

  /**
   * A self-signed root for {@code trustDomain}: subject {@code O=<trust domain>} as istiod's own
   * root has, plus the trust domain's SPIFFE ID as its URI SAN, as the SPIFFE spec asks of a
   * signing authority.
   */
  public static X509Certificate root(
      KeyPair keyPair, TrustDomain trustDomain, Instant notBefore, Instant notAfter) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, trustDomain.name())
        .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          subject, serial(), Date.from(notBefore), Date.from(notAfter), subject,
          keyPair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(keyPair.getPublic()))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
              new GeneralName(GeneralName.uniformResourceIdentifier, trustDomain.idString())));
      return sign(builder, keyPair.getPrivate());
    } catch (CertIOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("could not build a root certificate", e);
    }
  }

  /**
   * A workload X.509-SVID: empty subject, {@code identity} as its only (critical) URI SAN,
   * not a CA, digitalSignature and keyEncipherment, serverAuth and clientAuth, as istiod issues.
   */
  public static X509Certificate workload(
      PublicKey publicKey, SpiffeId identity, X509Certificate issuer, PrivateKey issuerKey,
      Instant notBefore, Instant notAfter) {
    return leaf(publicKey,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
        issuer, issuerKey, notBefore, notAfter);
  }

  /**
   * A TLS server certificate for a control plane, named by DNS names and IP addresses like
   * istiod's own certificate, not by a SPIFFE ID.
   */
  public static X509Certificate server(
      PublicKey publicKey, List<String> hostNames, X509Certificate issuer, PrivateKey issuerKey,
      Instant notBefore, Instant notAfter) {
    GeneralName[] names = new GeneralName[hostNames.size()];
    for (int i = 0; i < names.length; i++) {
      String host = hostNames.get(i);
      names[i] = IPAddress.isValid(host)
          ? new GeneralName(GeneralName.iPAddress, host)
          : new GeneralName(GeneralName.dNSName, host);
    }
    return leaf(publicKey, new GeneralNames(names),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth},
        issuer, issuerKey, notBefore, notAfter);
  }

  private static X509Certificate leaf(
      PublicKey publicKey, GeneralNames subjectAltNames, KeyPurposeId[] purposes,
      X509Certificate issuer, PrivateKey issuerKey, Instant notBefore, Instant notAfter) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
          issuer.getSubjectX500Principal(), serial(), Date.from(notBefore), Date.from(notAfter),
          EMPTY_SUBJECT, publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
          .addExtension(Extension.authorityKeyIdentifier, false,
              new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer))
          // The subject is empty, so the SAN extension must be critical (RFC 5280 4.2.1.6).
          .addExtension(Extension.subjectAlternativeName, true, subjectAltNames);
      return sign(builder, issuerKey);
    } catch (CertificateException | IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("could not build a certificate", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(signingKey)).build(signingKey)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("could not sign a certificate", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(159, RANDOM).add(BigInteger.ONE);
  }
}
