package dev.weft.controlplane.explain;

import dev.weft.policy.MtlsMode;
import dev.weft.policy.TlsMode;

/**
 * What happens when a client sending one kind of traffic meets a server port in one mode: the
 * truth table of an Istio sidecar mesh, for an HTTP app on a plaintext port.
 */
final class ConnectionRules {
  private ConnectionRules() {}

  /**
   * The outcome for a client that sends {@code sent} (null: a client without Weft, so
   * plaintext) to a server port that accepts {@code accepts} (null: a server without Weft).
   */
  static Outcome outcome(TlsMode sent, MtlsMode accepts) {
    if (sent == null) {
      return plainClient(accepts);
    }
    switch (sent) {
      case DISABLE:
        if (accepts == MtlsMode.STRICT) {
          return Outcome.clientError("plaintext to a STRICT listener");
        }
        return Outcome.plaintext("plaintext to " + listener(accepts));
      case ISTIO_MUTUAL:
        if (accepts == null) {
          return Outcome.clientError("mTLS to a server without Weft, which cannot complete the"
              + " TLS handshake");
        }
        if (accepts == MtlsMode.DISABLE) {
          return Outcome.clientError("mTLS to a DISABLE listener, which reads TLS as plaintext");
        }
        return Outcome.mtls("mTLS to " + listener(accepts));
      case SIMPLE:
      case MUTUAL:
        return tlsWithoutMeshIdentity(sent, accepts);
      default:
        throw new IllegalArgumentException("unknown TLS mode " + sent);
    }
  }

  private static Outcome plainClient(MtlsMode accepts) {
    if (accepts == MtlsMode.STRICT) {
      return Outcome.reset("plaintext to a STRICT listener, which resets the connection");
    }
    return Outcome.plaintext("plaintext to " + listener(accepts));
  }

  private static Outcome tlsWithoutMeshIdentity(TlsMode sent, MtlsMode accepts) {
    if (accepts == null || accepts == MtlsMode.DISABLE) {
      return Outcome.clientError(sent + " TLS to " + listener(accepts)
          + ", which cannot complete the TLS handshake");
    }
    if (accepts == MtlsMode.STRICT) {
      return Outcome.clientError(sent + " TLS to a STRICT listener, which requires a mesh client"
          + " certificate");
    }
    return Outcome.clientError(sent + " TLS to a PERMISSIVE listener, which terminates only mesh"
        + " mTLS (Istio's ALPN)");
  }

  private static String listener(MtlsMode accepts) {
    return accepts == null ? "a server without Weft" : "a " + accepts + " listener";
  }
}
