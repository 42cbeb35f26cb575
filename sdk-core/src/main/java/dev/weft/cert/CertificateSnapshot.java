package dev.weft.cert;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustBundles;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * One verified generation of a workload's TLS material: key, chain and trust bundles that
 * belong together. Handshakes read one snapshot, so a key is never paired with another
 * generation's chain.
 */
public final class CertificateSnapshot {
  private final long generation;
  private final SpiffeId identity;
  private final WorkloadCredential credential;

  CertificateSnapshot(long generation, SpiffeId identity, WorkloadCredential credential) {
    this.generation = generation;
    this.identity = identity;
    this.credential = credential;
  }

  /** Increases by one with every rotation, starting at 1. */
  public long generation() {
    return generation;
  }

  /** The workload's SPIFFE ID, as its certificate states it. */
  public SpiffeId identity() {
    return identity;
  }

  /** The private key. */
  public PrivateKey privateKey() {
    return credential.privateKey();
  }

  /** The chain to present: leaf first, then intermediates. */
  public List<X509Certificate> chain() {
    return credential.chain();
  }

  /** The leaf certificate. */
  public X509Certificate leaf() {
    return credential.leaf();
  }

  /** The roots peers are verified against, per trust domain. */
  public TrustBundles trustBundles() {
    return credential.trustBundles();
  }

  /** When the leaf becomes valid. */
  public Instant notBefore() {
    return leaf().getNotBefore().toInstant();
  }

  /** When the leaf expires. */
  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  @Override
  public String toString() {
    return "CertificateSnapshot{generation=" + generation + ", identity=" + identity
        + ", notAfter=" + notAfter() + ", " + trustBundles() + "}";
  }
}
