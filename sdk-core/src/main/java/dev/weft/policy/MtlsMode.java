package dev.weft.policy;

/** What a PeerAuthentication lets an inbound port accept. */
public enum MtlsMode {
  /** Inherit from the enclosing scope; PERMISSIVE when nothing encloses it. */
  UNSET,
  /** Plaintext only. */
  DISABLE,
  /** Plaintext and mesh mTLS, on the same port. */
  PERMISSIVE,
  /** Mesh mTLS only. */
  STRICT
}
