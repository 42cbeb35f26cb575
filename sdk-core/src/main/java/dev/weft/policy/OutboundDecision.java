package dev.weft.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client talks to one endpoint of a service port, and why.
 *
 * @param mode DISABLE for plaintext, or the TLS the client originates
 * @param settings the DestinationRule's TLS settings when a rule decided; empty for auto mTLS
 * @param automatic whether auto mTLS decided (no DestinationRule TLS applied)
 * @param because the deciding reason first
 */
public record OutboundDecision(
    TlsMode mode, Optional<ClientTls> settings, boolean automatic, List<Because> because) {

  public OutboundDecision {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(settings, "settings");
    because = List.copyOf(because);
    if (because.isEmpty()) {
      throw new IllegalArgumentException("a decision needs a reason");
    }
  }

  /** Whether the client sends plaintext. */
  public boolean plaintext() {
    return mode == TlsMode.DISABLE;
  }
}
