package dev.weft.cert.internal;

import dev.weft.cert.CertificateSourceException;
import dev.weft.identity.SpiffeId;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 certificate requests that carry a SPIFFE ID, as istio-agent sends them. */
public final class CertificateRequests {
  private CertificateRequests() {}

  /** A request signed by {@code keyPair} asking for {@code identity} as its URI SAN. */
  public static PKCS10CertificationRequest create(KeyPair keyPair, SpiffeId identity) {
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(
          Extension.subjectAlternativeName,
          true,
          new GeneralNames(
              new GeneralName(GeneralName.uniformResourceIdentifier, identity.toString())));
      return new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), keyPair.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
          .build(
              new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keyPair.getPrivate()))
                  .build(keyPair.getPrivate()));
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("could not build a certificate request", e);
    }
  }

  /** The request's public key, after checking the request is signed by its private half. */
  public static PublicKey verifiedPublicKey(PKCS10CertificationRequest request, String source)
      throws CertificateSourceException {
    try {
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(request);
      PublicKey key = jca.getPublicKey();
      if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new CertificateSourceException(
            source + ": the certificate request's signature does not match its public key");
      }
      return key;
    } catch (CertificateSourceException e) {
      throw e;
    } catch (PKCSException | OperatorCreationException | java.security.GeneralSecurityException
        | RuntimeException e) {
      throw new CertificateSourceException(
          source + ": the certificate request cannot be verified: " + e.getMessage(), e);
    }
  }
}
