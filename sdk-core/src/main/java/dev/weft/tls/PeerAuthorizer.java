package dev.weft.tls;

import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import java.security.cert.CertificateException;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a peer whose certificate chain already verified against its trust domain's
 * bundle is the peer this connection may talk to. It replaces hostname verification: workload
 * certificates name a SPIFFE ID, not a host.
 */
@FunctionalInterface
public interface PeerAuthorizer {

  /** Returns normally to accept {@code peer}; throws with the reason to refuse it. */
  void authorize(SpiffeId peer) throws CertificateException;

  /** Accepts any peer whose certificate verified against a trusted bundle. */
  static PeerAuthorizer anyPeer() {
    return peer -> { };
  }

  /** Accepts exactly these SPIFFE IDs; an empty set accepts no one. */
  static PeerAuthorizer anyOf(Collection<SpiffeId> expected) {
    Set<SpiffeId> ids = Set.copyOf(Objects.requireNonNull(expected, "expected"));
    String list = new TreeSet<>(ids).toString();
    return peer -> {
      if (!ids.contains(peer)) {
        throw new CertificateException(
            "peer " + peer + " is not " + (ids.size() == 1 ? list.substring(1, list.length() - 1)
                : "one of the expected identities " + list));
      }
    };
  }

  /** Accepts any peer in these trust domains; an empty set accepts no one. */
  static PeerAuthorizer inTrustDomains(Collection<TrustDomain> trustDomains) {
    Set<TrustDomain> domains = Set.copyOf(Objects.requireNonNull(trustDomains, "trustDomains"));
    return peer -> {
      if (!domains.contains(peer.trustDomain())) {
        throw new CertificateException("peer " + peer + " is not in trust domain "
            + new TreeSet<>(domains));
      }
    };
  }
}
