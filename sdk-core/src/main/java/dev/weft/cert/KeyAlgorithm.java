package dev.weft.cert;

/** The kind of key a workload generates for its certificate. */
public enum KeyAlgorithm {
  /** ECDSA on NIST P-256, the default: small keys, fast handshakes with BoringSSL. */
  ECDSA_P256,
  /** RSA with a 2048-bit modulus, Istio's default. */
  RSA_2048
}
