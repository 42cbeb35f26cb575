package dev.weft.cert;

import dev.weft.identity.TrustBundles;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link CertificateSource} produces: a private key, the certificate chain to present
 * with it (leaf first, then intermediates) and the trust bundles to verify peers with.
 */
public final class WorkloadCredential {
  private final PrivateKey privateKey;
  private final List<X509Certificate> chain;
  private final TrustBundles trustBundles;

  private WorkloadCredential(
      PrivateKey privateKey, List<X509Certificate> chain, TrustBundles trustBundles) {
    this.privateKey = privateKey;
    this.chain = chain;
    this.trustBundles = trustBundles;
  }

  /**
   * A credential from a key and the chain a CA returned. A trailing root that is already in the
   * trust bundles is dropped from the presented chain: peers hold it already.
   */
  public static WorkloadCredential of(
      PrivateKey privateKey, List<X509Certificate> chain, TrustBundles trustBundles) {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustBundles, "trustBundles");
    if (Objects.requireNonNull(chain, "chain").isEmpty()) {
      throw new IllegalArgumentException("chain is empty; it needs at least the leaf certificate");
    }
    List<X509Certificate> roots = trustBundles.allRoots();
    int end = chain.size();
    while (end > 1 && roots.contains(chain.get(end - 1))) {
      end--;
    }
    return new WorkloadCredential(privateKey, List.copyOf(chain.subList(0, end)), trustBundles);
  }

  /** The private key; it stays in memory. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The chain to present: leaf first, then intermediates. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The leaf certificate. */
  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** The roots to verify peers with, per trust domain. */
  public TrustBundles trustBundles() {
    return trustBundles;
  }

  @Override
  public String toString() {
    return "WorkloadCredential{leaf=" + leaf().getSubjectX500Principal() + ", chain="
        + chain.size() + ", " + trustBundles + "}";
  }
}
