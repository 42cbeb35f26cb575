package dev.weft.policy;

/** The kinds of configuration Weft reads. */
public enum ResourceKind {
  PEER_AUTHENTICATION("PeerAuthentication"),
  DESTINATION_RULE("DestinationRule"),
  SERVICE("Service"),
  WORKLOAD_ENTRY("WorkloadEntry"),
  MESH_CONFIG("MeshConfig");

  private final String kind;

  ResourceKind(String kind) {
    this.kind = kind;
  }

  /** The Kubernetes {@code kind}, for example {@code PeerAuthentication}. */
  public String kind() {
    return kind;
  }

  @Override
  public String toString() {
    return kind;
  }
}
