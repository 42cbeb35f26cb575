package dev.weft.policy;

import dev.weft.identity.TrustDomain;
import java.util.Objects;

/**
 * Mesh-wide settings, from a Weft {@code MeshConfig} document.
 *
 * @param rootNamespace where mesh-wide policy lives; default {@code istio-system}
 * @param trustDomain the mesh's trust domain; default {@code cluster.local}
 * @param enableAutoMtls whether clients with no DestinationRule TLS choose mTLS per endpoint
 * @param compatibility which Istio release's auto-mTLS rules to follow
 */
public record MeshConfig(
    String rootNamespace, TrustDomain trustDomain, boolean enableAutoMtls,
    Compatibility compatibility) {
  /** The defaults: {@code istio-system}, {@code cluster.local}, auto mTLS on, latest rules. */
  public static final MeshConfig DEFAULT = new MeshConfig(
      "istio-system", TrustDomain.parse("cluster.local"), true, Compatibility.LATEST);

  public MeshConfig {
    Objects.requireNonNull(rootNamespace, "rootNamespace");
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(compatibility, "compatibility");
  }

  /** A copy following {@code compatibility}'s rules. */
  public MeshConfig withCompatibility(Compatibility compatibility) {
    return new MeshConfig(rootNamespace, trustDomain, enableAutoMtls, compatibility);
  }
}
