package dev.weft.config;

import dev.weft.policy.DestinationRule;
import dev.weft.policy.Subset;
import dev.weft.policy.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a DestinationRule {@code spec} and checks it as Istio's webhook does. */
final class DestinationRuleParser implements SpecParser {
  static final Fields SPEC =
      Fields.of("host", "exportTo", "workloadSelector", "trafficPolicy", "subsets");
  static final Fields SUBSET = Fields.of("name", "labels", "trafficPolicy");

  @Override
  public ParsedSpec parse(YamlMap spec, String namespace) {
    spec.checkFields(SPEC);
    Optional<String> written = spec.requiredString("host", "host is required");
    written.flatMap(Names::checkHost).ifPresent(message -> spec.error("host", message));
    String host = written.orElse("");
    Optional<YamlValue> workloadSelector = spec.get("workloadSelector");
    Map<String, String> selector = workloadSelector.map(Labels::selector).orElse(Map.of());
    List<String> exportTo = spec.get("exportTo")
        .map(value -> exportTo(value, namespace, workloadSelector.isPresent()))
        .orElse(List.of());
    Optional<TrafficPolicy> trafficPolicy =
        spec.get("trafficPolicy").flatMap(TrafficPolicyParser::parse);
    List<Subset> subsets = spec.get("subsets").map(DestinationRuleParser::subsets)
        .orElse(List.of());
    return (resources, meta) -> resources.add(
        new DestinationRule(meta, host, exportTo, selector, trafficPolicy, subsets));
  }

  /** Istio's {@code validateExportTo} for a DestinationRule, with its messages. */
  private static List<String> exportTo(YamlValue value, String namespace, boolean hasSelector) {
    List<String> entries = new ArrayList<>();
    Set<String> namespaces = new LinkedHashSet<>();
    for (YamlValue element : value.asList().orElse(List.of())) {
      element.asString().ifPresent(entry -> {
        entries.add(entry);
        String key = entry.equals(".") ? namespace : entry;
        if (namespaces.contains(key)) {
          element.error(key.equals(entry) ? "duplicate entries in exportTo for entry " + entry
              : "duplicate entries in exportTo: . and current namespace " + namespace);
        } else if (entry.equals("~")) {
          element.error("exportTo ~ (none) is not allowed for Istio configuration objects");
        } else if (!entry.equals("*") && !entry.equals(".")
            && Names.checkDns1123Label(entry).isPresent()) {
          element.error("only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
        } else {
          namespaces.add(key);
        }
      });
    }
    if (hasSelector && !namespaces.isEmpty()) {
      if (!namespaces.contains(namespace)) {
        value.error("destination rule with workload selector cannot have exportTo beyond current"
            + " namespace");
      } else if (namespaces.size() > 1) {
        value.error("destination rule with workload selector cannot have multiple entries in"
            + " exportTo");
      }
    }
    if (namespaces.contains("*") && entries.size() > 1) {
      value.error("cannot have both public (*) and non-public exportTo values for a resource");
    }
    return entries;
  }

  private static List<Subset> subsets(YamlValue value) {
    List<Subset> subsets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlValue element : value.asList().orElse(List.of())) {
      element.asMap().ifPresent(map -> {
        map.checkFields(SUBSET);
        String name = map.get("name").flatMap(YamlValue::asString).orElse("");
        if (name.isEmpty()) {
          map.error("name", "a subset needs a name");
        } else if (!names.add(name)) {
          map.error("name", "duplicate subset names: " + name);
        } else {
          Names.checkDns1123Label(name)
              .ifPresent(message -> map.error("name", "subset name is invalid: " + message));
        }
        Map<String, String> labels = map.get("labels").map(Labels::read).orElse(Map.of());
        Optional<TrafficPolicy> policy = map.get("trafficPolicy")
            .flatMap(TrafficPolicyParser::parse);
        subsets.add(new Subset(name, labels, policy));
      });
    }
    return subsets;
  }
}
