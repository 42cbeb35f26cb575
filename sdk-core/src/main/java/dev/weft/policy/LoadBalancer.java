package dev.weft.policy;

/** A DestinationRule's {@code loadBalancer.simple}. */
public enum LoadBalancer {
  /** Not set: Istio's default, which is LEAST_REQUEST. */
  UNSPECIFIED,
  ROUND_ROBIN,
  /** Also written {@code LEAST_CONN}. */
  LEAST_REQUEST,
  RANDOM,
  PASSTHROUGH
}
