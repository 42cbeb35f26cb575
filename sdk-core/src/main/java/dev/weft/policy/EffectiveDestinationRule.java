package dev.weft.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DestinationRule a client applies to a host: every rule for the same host in the chosen
 * namespace, merged as Istio merges them. Subsets are concatenated oldest first; the oldest
 * rule's {@code trafficPolicy} wins whole.
 *
 * @param host the host the rules name, as an FQDN or wildcard
 * @param rules the merged rules, oldest first
 * @param trafficPolicy the winning traffic policy
 * @param trafficPolicyFrom the rule it came from
 * @param subsets the subsets of all rules, without repeated names
 */
public record EffectiveDestinationRule(
    String host, List<DestinationRule> rules, Optional<TrafficPolicy> trafficPolicy,
    Optional<ResourceId> trafficPolicyFrom, List<Subset> subsets) {

  public EffectiveDestinationRule {
    Objects.requireNonNull(host, "host");
    rules = List.copyOf(rules);
    Objects.requireNonNull(trafficPolicy, "trafficPolicy");
    Objects.requireNonNull(trafficPolicyFrom, "trafficPolicyFrom");
    subsets = List.copyOf(subsets);
  }
}
