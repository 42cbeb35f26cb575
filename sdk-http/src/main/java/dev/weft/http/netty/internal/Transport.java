package dev.weft.http.netty.internal;

import dev.weft.mesh.InboundPolicy;

/** How a connection reached the server: in plaintext, or over mutual TLS with a mesh certificate. */
enum Transport {
  PLAINTEXT,
  MTLS;

  /** Whether {@code policy} lets a connection of this transport in. */
  boolean allowedBy(InboundPolicy policy) {
    return this == PLAINTEXT ? policy.acceptsPlaintext() : policy.acceptsMtls();
  }

  /** The word a log line uses for it. */
  String describe() {
    return this == PLAINTEXT ? "plaintext" : "mTLS";
  }
}
