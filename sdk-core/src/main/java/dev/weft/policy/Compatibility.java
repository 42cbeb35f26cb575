package dev.weft.policy;

/** Which Istio release's client-side auto-mTLS rules to follow. */
public enum Compatibility {
  /**
   * Current Istio (1.12 and later): a client also honours workload- and port-level DISABLE on
   * the server when it chooses auto mTLS per endpoint.
   */
  LATEST("latest"),
  /** Istio 1.9 to 1.11: a client considers only mesh- and namespace-level PeerAuthentication. */
  ISTIO_1_9("1.9");

  private final String label;

  Compatibility(String label) {
    this.label = label;
  }

  /** Parses {@code latest} or {@code 1.9}. */
  public static Compatibility parse(String label) {
    for (Compatibility c : values()) {
      if (c.label.equals(label)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown compatibility \"" + label + "\"; use \"latest\" or \"1.9\"");
  }

  /** {@code latest} or {@code 1.9}. */
  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
