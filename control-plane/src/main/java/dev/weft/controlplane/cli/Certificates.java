package dev.weft.controlplane.cli;

import dev.weft.cert.KeyAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** How the commands describe certificates and keys to a person. */
final class Certificates {
  private Certificates() {}

  /** The SHA-256 fingerprint as openssl prints it: uppercase hex pairs joined by colons. */
  static String sha256Fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint a parsed certificate", e);
    }
  }

  /** For example "ECDSA P-256" or "RSA 2048". */
  static String describe(KeyAlgorithm algorithm) {
    return switch (algorithm) {
      case ECDSA_P256 -> "ECDSA P-256";
      case RSA_2048 -> "RSA 2048";
    };
  }
}
