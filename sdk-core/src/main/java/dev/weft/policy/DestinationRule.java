package dev.weft.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Istio's {@code DestinationRule}: how clients talk to a host.
 *
 * @param meta identity and creation order
 * @param host the host as written: a short name (relative to the rule's namespace), an FQDN,
 *     or a wildcard such as {@code *.bar.svc.cluster.local}
 * @param exportTo namespaces that see the rule; empty means every namespace
 * @param workloadSelector limits the rule to matching clients in its own namespace
 * @param trafficPolicy the destination-level policy
 * @param subsets named endpoint groups
 */
public record DestinationRule(
    ResourceMeta meta, String host, List<String> exportTo, Map<String, String> workloadSelector,
    Optional<TrafficPolicy> trafficPolicy, List<Subset> subsets) {

  public DestinationRule {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(host, "host");
    exportTo = List.copyOf(exportTo);
    workloadSelector = Map.copyOf(workloadSelector);
    Objects.requireNonNull(trafficPolicy, "trafficPolicy");
    subsets = List.copyOf(subsets);
  }
}
