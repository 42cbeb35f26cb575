package dev.weft.identity;

import dev.weft.identity.internal.X509Svids;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who is on the other end of a connection: a peer that proved a SPIFFE ID with mutual TLS, or
 * a peer with no identity (plaintext, or TLS without a client certificate). Identity only ever
 * comes from a verified TLS session, never from a header a client could send.
 */
public final class PeerIdentity {
  private static final PeerIdentity NONE = new PeerIdentity(null, List.of());
  /** The name under which a session keeps its peer's identity. */
  private static final String SESSION_VALUE = PeerIdentity.class.getName();

  private final SpiffeId spiffeId;
  private final List<X509Certificate> chain;

  private PeerIdentity(SpiffeId spiffeId, List<X509Certificate> chain) {
    this.spiffeId = spiffeId;
    this.chain = chain;
  }

  /** A peer with no verified identity: plaintext, or TLS without a client certificate. */
  public static PeerIdentity none() {
    return NONE;
  }

  /**
   * The peer of a TLS session whose certificates a Weft trust manager verified. A session with
   * no peer certificate gives {@link #none()}. A verified identity is read once and kept with
   * the session, since servers ask for it on every request of a connection.
   */
  public static PeerIdentity of(SSLSession session) {
    Objects.requireNonNull(session, "session");
    if (session.getValue(SESSION_VALUE) instanceof PeerIdentity known) {
      return known;
    }
    Certificate[] certificates;
    try {
      certificates = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      // Not kept: a session asked during its handshake has no peer yet, but will have one.
      return NONE;
    }
    List<X509Certificate> chain = new ArrayList<>(certificates.length);
    for (Certificate certificate : certificates) {
      chain.add((X509Certificate) certificate);
    }
    PeerIdentity peer;
    try {
      peer = new PeerIdentity(X509Svids.leafIdentity(chain.get(0)), List.copyOf(chain));
    } catch (CertificateException e) {
      throw new IllegalStateException(
          "the session's peer certificate is not an X.509-SVID; was it verified by Weft? "
              + e.getMessage(), e);
    }
    session.putValue(SESSION_VALUE, peer);
    return peer;
  }

  /** The peer's SPIFFE ID; empty when the peer has no verified identity. */
  public Optional<SpiffeId> spiffeId() {
    return Optional.ofNullable(spiffeId);
  }

  /** The peer's verified certificate chain, leaf first; empty without mutual TLS. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }

  /** Whether the peer authenticated with mutual TLS. */
  public boolean mtls() {
    return spiffeId != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerIdentity other && Objects.equals(spiffeId, other.spiffeId)
        && chain.equals(other.chain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spiffeId, chain);
  }

  /** The SPIFFE ID, or {@code none}. */
  @Override
  public String toString() {
    return spiffeId == null ? "none" : spiffeId.toString();
  }
}
