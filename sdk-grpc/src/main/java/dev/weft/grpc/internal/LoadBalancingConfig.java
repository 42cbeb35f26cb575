package dev.weft.grpc.internal;

import dev.weft.policy.LoadBalancer;
import java.util.List;
import java.util.Map;

/** The gRPC service config that balances a route's endpoints as its DestinationRule says. */
final class LoadBalancingConfig {
  private LoadBalancingConfig() {}

  static Map<String, ?> of(LoadBalancer loadBalancer) {
    Map<String, ?> policy = switch (loadBalancer) {
      // Istio's default is LEAST_REQUEST; grpc-java's picker is the same two-choice one as Envoy's.
      case UNSPECIFIED, LEAST_REQUEST ->
          Map.of("least_request_experimental", Map.of("choiceCount", 2.0));
      // grpc-java has no random picker, and a channel has no original destination to pass
      // through to; round robin spreads calls as evenly.
      case ROUND_ROBIN, RANDOM, PASSTHROUGH -> Map.of("round_robin", Map.of());
    };
    return Map.of("loadBalancingConfig", List.of(policy));
  }
}
