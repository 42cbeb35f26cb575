package dev.weft.policy.internal;

import dev.weft.policy.DestinationRule;
import dev.weft.policy.EffectiveDestinationRule;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.Subset;
import dev.weft.policy.TrafficPolicy;
import dev.weft.policy.Workload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the DestinationRule a client applies to a host, as Istio does: the client's namespace,
 * then the service's, then the root namespace, taking the first that has a visible rule for the
 * host, with no merging across namespaces. Within a namespace the most specific host wins, a
 * rule whose workloadSelector matches the client beats rules without one, and rules for the
 * same host are merged.
 */
public final class DestinationRuleIndex {
  private final String rootNamespace;
  private final Map<String, List<Entry>> byNamespace = new HashMap<>();
  private final List<String> warnings = new ArrayList<>();

  /** A rule with its host resolved against its namespace. */
  private record Entry(DestinationRule rule, String host) {}

  public DestinationRuleIndex(
      List<DestinationRule> rules, String rootNamespace, Collection<String> serviceHosts) {
    this.rootNamespace = rootNamespace;
    List<DestinationRule> oldestFirst = new ArrayList<>(rules);
    oldestFirst.sort(Comparator.comparing(DestinationRule::meta, ResourceMeta.CREATION_ORDER));
    for (DestinationRule rule : oldestFirst) {
      String host = Hosts.resolve(rule.host(), rule.meta().namespace());
      if (serviceHosts.stream().noneMatch(h -> Hosts.matches(host, h))) {
        warnings.add(rule.meta().id() + " has no effect: its host " + rule.host()
            + (host.equals(rule.host()) ? "" : " (" + host + ")") + " matches no Service");
      }
      byNamespace.computeIfAbsent(rule.meta().namespace(), n -> new ArrayList<>())
          .add(new Entry(rule, host));
    }
    warnDuplicateSubsets();
  }

  /** Rules that have no effect, or parts of them, and why. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The rule {@code client} applies to {@code host}, a Service in {@code serviceNamespace}. */
  public Optional<EffectiveDestinationRule> lookup(
      Workload client, String host, String serviceNamespace) {
    Set<String> namespaces = new LinkedHashSet<>();
    namespaces.add(client.namespace());
    namespaces.add(serviceNamespace);
    namespaces.add(rootNamespace);
    for (String namespace : namespaces) {
      List<Entry> candidates = new ArrayList<>();
      for (Entry entry : byNamespace.getOrDefault(namespace, List.of())) {
        if (Hosts.matches(entry.host, host) && appliesTo(entry.rule, client)) {
          candidates.add(entry);
        }
      }
      if (!candidates.isEmpty()) {
        return Optional.of(merge(mostSpecific(candidates)));
      }
    }
    return Optional.empty();
  }

  /**
   * The rule with a workload selector that picks {@code client} for {@code host} and names it
   * at least as specifically as {@code pattern}, the host of a rule the client authored, which
   * it then overrides; the oldest if there are several.
   */
  public Optional<ResourceId> selectorRuleOver(Workload client, String host, String pattern) {
    for (Entry entry : byNamespace.getOrDefault(client.namespace(), List.of())) {
      if (!entry.rule.workloadSelector().isEmpty() && appliesTo(entry.rule, client)
          && Hosts.matches(entry.host, host)
          && Hosts.specificity(entry.host) >= Hosts.specificity(pattern)) {
        return Optional.of(entry.rule.meta().id());
      }
    }
    return Optional.empty();
  }

  /**
   * The rules with a workload selector that pick {@code client}. Clients of one namespace that
   * these pick alike see every host alike.
   */
  public List<ResourceId> selectorRulesFor(Workload client) {
    List<ResourceId> matching = new ArrayList<>();
    for (Entry entry : byNamespace.getOrDefault(client.namespace(), List.of())) {
      if (!entry.rule.workloadSelector().isEmpty()
          && client.matches(entry.rule.workloadSelector())) {
        matching.add(entry.rule.meta().id());
      }
    }
    return matching;
  }

  private static boolean appliesTo(DestinationRule rule, Workload client) {
    String namespace = rule.meta().namespace();
    if (!rule.workloadSelector().isEmpty()) {
      // Only for clients in its own namespace, and never exported.
      return namespace.equals(client.namespace()) && client.matches(rule.workloadSelector());
    }
    if (rule.exportTo().isEmpty() || rule.exportTo().contains("*")) {
      return true;
    }
    if (rule.exportTo().contains(".") && namespace.equals(client.namespace())) {
      return true;
    }
    return rule.exportTo().contains(client.namespace());
  }

  /** The entries for the most specific host; those with a matching selector if there are any. */
  private static List<Entry> mostSpecific(List<Entry> candidates) {
    String best = candidates.get(0).host;
    for (Entry entry : candidates) {
      if (Hosts.specificity(entry.host) > Hosts.specificity(best)) {
        best = entry.host;
      }
    }
    List<Entry> withSelector = new ArrayList<>();
    List<Entry> withoutSelector = new ArrayList<>();
    for (Entry entry : candidates) {
      if (entry.host.equals(best)) {
        (entry.rule.workloadSelector().isEmpty() ? withoutSelector : withSelector).add(entry);
      }
    }
    return withSelector.isEmpty() ? withoutSelector : withSelector;
  }

  /** Istio's merge of same-host rules, oldest first: subsets add up, the first policy wins. */
  private static EffectiveDestinationRule merge(List<Entry> entries) {
    List<DestinationRule> rules = new ArrayList<>();
    Optional<TrafficPolicy> policy = Optional.empty();
    Optional<ResourceId> policyFrom = Optional.empty();
    List<Subset> subsets = new ArrayList<>();
    Set<String> subsetNames = new HashSet<>();
    for (Entry entry : entries) {
      rules.add(entry.rule);
      if (policy.isEmpty() && entry.rule.trafficPolicy().isPresent()) {
        policy = entry.rule.trafficPolicy();
        policyFrom = Optional.of(entry.rule.meta().id());
      }
      for (Subset subset : entry.rule.subsets()) {
        if (subsetNames.add(subset.name())) {
          subsets.add(subset);
        }
      }
    }
    return new EffectiveDestinationRule(entries.get(0).host, rules, policy, policyFrom, subsets);
  }

  private void warnDuplicateSubsets() {
    for (List<Entry> entries : byNamespace.values()) {
      Map<String, Map<String, ResourceId>> subsetsByHost = new HashMap<>();
      for (Entry entry : entries) {
        Map<String, ResourceId> seen = subsetsByHost.computeIfAbsent(
            entry.host + "|" + entry.rule.workloadSelector(), h -> new HashMap<>());
        for (Subset subset : entry.rule.subsets()) {
          ResourceId first = seen.putIfAbsent(subset.name(), entry.rule.meta().id());
          if (first != null) {
            warnings.add(entry.rule.meta().id() + ": subset " + subset.name()
                + " is ignored: " + first + " defines it for the same host and is older");
          }
        }
      }
    }
  }
}
