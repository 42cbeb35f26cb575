package dev.weft.controlplane.auth;

import dev.weft.identity.SpiffeId;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * An authenticated caller of the control plane: its workload identity, and where it called from
 * (null if the transport does not say).
 */
public record Caller(SpiffeId identity, SocketAddress address) {
  /** Requires an identity. */
  public Caller {
    Objects.requireNonNull(identity, "identity");
  }
}
