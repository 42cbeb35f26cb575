package dev.weft.mesh.internal;

import dev.weft.cert.LocalCertificateAuthority;
import dev.weft.identity.TrustDomain;
import java.util.HashMap;
import java.util.Map;

/**
 * The CA of meshes that run with no control plane: one per trust domain in a process, so that
 * every such workload of the process trusts the others.
 */
public final class LocalAuthority {
  private static final Map<TrustDomain, LocalCertificateAuthority> BY_TRUST_DOMAIN =
      new HashMap<>();

  private LocalAuthority() {}

  /** The process's local CA for {@code trustDomain}, created on first use. */
  public static synchronized LocalCertificateAuthority of(TrustDomain trustDomain) {
    return BY_TRUST_DOMAIN.computeIfAbsent(trustDomain, LocalCertificateAuthority::inMemory);
  }
}
