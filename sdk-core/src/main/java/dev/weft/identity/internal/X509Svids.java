package dev.weft.identity.internal;

import dev.weft.identity.InvalidSpiffeIdException;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import dev.weft.identity.TrustDomain;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TimeZone;

/**
 * The X.509-SVID rules: the leaf profile (exactly one SPIFFE URI SAN with a path, not a CA, key
 * usage with digitalSignature and without keyCertSign or cRLSign) and RFC 5280 path validation
 * against the bundle of the leaf's own trust domain only. Every failure is a
 * {@link CertificateException} whose message says what was wrong.
 */
public final class X509Svids {
  private static final int URI_NAME = 6;
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;
  private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

  /** What the verified certificate will be used for. */
  public enum Purpose {
    /** The peer is a TLS client: its certificate must allow clientAuth. */
    CLIENT("1.3.6.1.5.5.7.3.2", "clientAuth"),
    /** The peer is a TLS server: its certificate must allow serverAuth. */
    SERVER("1.3.6.1.5.5.7.3.1", "serverAuth");

    private final String oid;
    private final String label;

    Purpose(String oid, String label) {
      this.oid = oid;
      this.label = label;
    }
  }

  private X509Svids() {}

  /** Checks the leaf profile and returns the SPIFFE ID it carries. */
  public static SpiffeId leafIdentity(X509Certificate leaf) throws CertificateException {
    SpiffeId id = spiffeIdOf(leaf);
    if (id.path().isEmpty()) {
      throw new CertificateException(
          "the certificate for " + id + " names a trust domain, not a workload; an X.509-SVID "
              + "leaf must have a path");
    }
    if (leaf.getBasicConstraints() != -1) {
      throw new CertificateException(
          "the certificate for " + id + " is a CA certificate (basicConstraints cA=true); "
              + "a CA certificate cannot identify a workload");
    }
    boolean[] keyUsage = leaf.getKeyUsage();
    if (keyUsage == null) {
      throw new CertificateException(
          "the certificate for " + id + " has no keyUsage extension; an X.509-SVID leaf must "
              + "have digitalSignature");
    }
    if (!bit(keyUsage, DIGITAL_SIGNATURE)) {
      throw new CertificateException(
          "the certificate for " + id + " lacks the digitalSignature key usage");
    }
    if (bit(keyUsage, KEY_CERT_SIGN)) {
      throw new CertificateException(
          "the certificate for " + id + " has the keyCertSign key usage; only CAs may");
    }
    if (bit(keyUsage, CRL_SIGN)) {
      throw new CertificateException(
          "the certificate for " + id + " has the cRLSign key usage; only CAs may");
    }
    return id;
  }

  /**
   * Verifies {@code chain} (leaf first, then intermediates; a trailing root is allowed) as an
   * X.509-SVID of a peer acting for {@code purpose}, against the bundle of the leaf's own trust
   * domain, at time {@code now}. Returns the peer's SPIFFE ID.
   */
  public static SpiffeId verify(
      List<X509Certificate> chain, TrustBundles bundles, Purpose purpose, Date now)
      throws CertificateException {
    if (chain.isEmpty()) {
      throw new CertificateException("the peer sent no certificate");
    }
    X509Certificate leaf = chain.get(0);
    SpiffeId id = leafIdentity(leaf);
    checkExtendedKeyUsage(leaf, id, purpose);
    TrustDomain trustDomain = id.trustDomain();
    List<X509Certificate> roots = bundles.bundle(trustDomain).orElseThrow(
        () -> new CertificateException(
            "no trust bundle for trust domain " + trustDomain + " of " + id + "; trusted: "
                + (bundles.trustDomains().isEmpty() ? "none" : bundles.trustDomains())));
    if (roots.isEmpty()) {
      throw new CertificateException(
          "the trust bundle of " + trustDomain + " is empty, so nothing from it is trusted ("
              + id + ")");
    }
    validatePath(withoutTrailingRoots(chain, roots), roots, id, now);
    return id;
  }

  private static SpiffeId spiffeIdOf(X509Certificate certificate) throws CertificateException {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException(
          "the certificate's subjectAltName extension cannot be parsed: " + e.getMessage(), e);
    }
    List<String> uris = new ArrayList<>();
    if (names != null) {
      for (List<?> name : names) {
        if (name.size() >= 2 && Integer.valueOf(URI_NAME).equals(name.get(0))) {
          uris.add(String.valueOf(name.get(1)));
        }
      }
    }
    if (uris.isEmpty()) {
      throw new CertificateException(
          "the certificate (subject \"" + certificate.getSubjectX500Principal().getName()
              + "\") has no URI SAN; an X.509-SVID carries exactly one SPIFFE ID");
    }
    if (uris.size() > 1) {
      throw new CertificateException(
          "the certificate has " + uris.size() + " URI SANs " + uris
              + "; an X.509-SVID carries exactly one");
    }
    try {
      return SpiffeId.parse(uris.get(0));
    } catch (InvalidSpiffeIdException e) {
      throw new CertificateException("the certificate's URI SAN is not a SPIFFE ID: "
          + e.getMessage(), e);
    }
  }

  private static void checkExtendedKeyUsage(X509Certificate leaf, SpiffeId id, Purpose purpose)
      throws CertificateException {
    List<String> usages;
    try {
      usages = leaf.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      throw new CertificateException(
          "the certificate for " + id + " has an unreadable extendedKeyUsage: " + e.getMessage(),
          e);
    }
    if (usages != null && !usages.contains(purpose.oid) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
      throw new CertificateException(
          "the certificate for " + id + " does not allow " + purpose.label
              + " in its extendedKeyUsage");
    }
  }

  private static List<X509Certificate> withoutTrailingRoots(
      List<X509Certificate> chain, List<X509Certificate> roots) {
    int end = chain.size();
    while (end > 1 && roots.contains(chain.get(end - 1))) {
      end--;
    }
    return chain.subList(0, end);
  }

  private static void validatePath(
      List<X509Certificate> path, List<X509Certificate> roots, SpiffeId id, Date now)
      throws CertificateException {
    Set<TrustAnchor> anchors = new HashSet<>();
    for (X509Certificate root : roots) {
      anchors.add(new TrustAnchor(root, null));
    }
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(now);
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      throw new CertificateException(describe(e, path, id), e);
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "the certificate chain of " + id + " cannot be validated: " + e.getMessage(), e);
    }
  }

  private static String describe(
      CertPathValidatorException e, List<X509Certificate> path, SpiffeId id) {
    int index = e.getIndex();
    X509Certificate certificate = index >= 0 && index < path.size() ? path.get(index) : null;
    String which = certificate == null ? "the chain"
        : index == 0 ? "the certificate" : "intermediate " + index + " ("
            + certificate.getSubjectX500Principal().getName() + ")";
    String prefix = "the certificate chain of " + id + ": ";
    if (e.getReason() == BasicReason.EXPIRED && certificate != null) {
      return prefix + which + " expired at " + format(certificate.getNotAfter());
    }
    if (e.getReason() == BasicReason.NOT_YET_VALID && certificate != null) {
      return prefix + which + " is not valid before " + format(certificate.getNotBefore());
    }
    if (e.getReason() == BasicReason.INVALID_SIGNATURE) {
      return prefix + "the signature of " + which + " does not verify";
    }
    if (e.getMessage() != null && e.getMessage().contains("trust anchor")) {
      return prefix + "it does not chain to the trust bundle of " + id.trustDomain();
    }
    return prefix + which + " is invalid: " + e.getMessage();
  }

  private static String format(Date date) {
    SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
    format.setTimeZone(TimeZone.getTimeZone("UTC"));
    return format.format(date);
  }

  private static boolean bit(boolean[] bits, int index) {
    return index < bits.length && bits[index];
  }
}
