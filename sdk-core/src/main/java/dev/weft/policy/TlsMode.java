package dev.weft.policy;

/** How a DestinationRule has clients originate TLS. */
public enum TlsMode {
  /** Plaintext. */
  DISABLE,
  /** One-way TLS verifying the server; no client certificate. */
  SIMPLE,
  /** TLS with a client certificate the rule names. */
  MUTUAL,
  /** Mesh mTLS with the workload's own certificate. */
  ISTIO_MUTUAL
}
