package dev.weft.benchmarks.http;

/** What one side-by-side row of the HTTP benchmark runs: a server and the client calling it. */
enum HttpMode {
  /** Plain Netty, plain OkHttp. */
  PLAINTEXT("plaintext"),
  /** Plain Netty with a hand-configured server certificate, OkHttp trusting its root. */
  TLS("TLS"),
  /** As {@link #TLS}, and the server requires the client's certificate. */
  MTLS("mTLS"),
  /** Weft on both sides, under a STRICT PeerAuthentication: mesh mTLS. */
  WEFT_STRICT("Weft STRICT (mTLS)"),
  /** A Weft server under PERMISSIVE, called in plaintext by plain OkHttp. */
  WEFT_PERMISSIVE_PLAINTEXT("Weft PERMISSIVE, plaintext"),
  /** A Weft server under PERMISSIVE, called over mesh mTLS by Weft's OkHttp. */
  WEFT_PERMISSIVE_MTLS("Weft PERMISSIVE, mTLS");

  private final String label;

  HttpMode(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
