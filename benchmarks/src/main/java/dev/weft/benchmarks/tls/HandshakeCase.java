package dev.weft.benchmarks.tls;

import dev.weft.cert.KeyAlgorithm;
import io.netty.handler.ssl.SslProvider;

/** One handshake configuration: TLS provider, key type, and whether the client shows a certificate. */
record HandshakeCase(SslProvider provider, KeyAlgorithm key, boolean mutual) {
  String label() {
    return (provider == SslProvider.JDK ? "JDK" : "BoringSSL") + ", "
        + (key == KeyAlgorithm.ECDSA_P256 ? "ECDSA P-256" : "RSA 2048") + ", "
        + (mutual ? "mTLS" : "TLS");
  }
}
