package dev.weft.mesh;

import dev.weft.policy.MtlsMode;
import java.util.List;
import java.util.Objects;

/**
 * What one listening port accepts, compiled from the control plane's server listener: mesh mTLS
 * only (STRICT), plaintext only (DISABLE), or both on one port (PERMISSIVE); and why, in the
 * words of the resources that decided it.
 *
 * @param port the container port
 * @param mode STRICT, PERMISSIVE or DISABLE; never UNSET
 * @param because the deciding reason first, e.g. {@code PeerAuthentication bar/httpbin:
 *     workload-level STRICT}
 */
public record InboundPolicy(int port, MtlsMode mode, List<String> because) {

  public InboundPolicy {
    Objects.requireNonNull(mode, "mode");
    if (mode == MtlsMode.UNSET) {
      throw new IllegalArgumentException("an inbound policy is never UNSET");
    }
    because = List.copyOf(because);
  }

  /** Whether a plaintext connection is allowed. */
  public boolean acceptsPlaintext() {
    return mode != MtlsMode.STRICT;
  }

  /** Whether a mesh mTLS connection is allowed. */
  public boolean acceptsMtls() {
    return mode != MtlsMode.DISABLE;
  }

  /** The reason to give a refused caller, e.g. {@code PeerAuthentication bar/httpbin: workload-level STRICT}. */
  public String reason() {
    return because.isEmpty() ? mode + " on port " + port : because.get(0);
  }
}
