package dev.weft.benchmarks.grpc;

/** What one row of the gRPC benchmark runs: a server and the channel calling it. */
enum GrpcMode {
  /** grpc-java's TLS credentials, a hand-configured certificate for localhost. */
  TLS("grpc TLS"),
  /** As {@link #TLS}, and the server requires the client's certificate (the mesh's). */
  MTLS("grpc mTLS"),
  /** Weft's server and channel credentials, a client mesh calling a server mesh under STRICT. */
  WEFT("Weft credentials, STRICT (mTLS)"),
  /**
   * grpc-java's own xDS client and server ({@code xds:///}, {@code XdsServerBuilder}) on a Weft
   * mesh under STRICT: a workload calling its own Service.
   */
  XDS("grpc-java xDS on Weft, STRICT (mTLS)");

  private final String label;

  GrpcMode(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
