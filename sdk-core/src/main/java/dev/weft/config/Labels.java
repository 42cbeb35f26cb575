package dev.weft.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;

/** Reads label maps and workload selectors, checking label syntax as Kubernetes does. */
final class Labels {
  private static final Fields SELECTOR = Fields.of("matchLabels");

  private Labels() {}

  /** A map of label keys to values; entries that are not valid labels are errors. */
  static Map<String, String> read(YamlValue value) {
    Map<String, String> labels = new LinkedHashMap<>();
    value.asMap().ifPresent(map -> {
      for (YamlMap.Entry entry : map.entries()) {
        entry.key().asString().ifPresent(key -> entry.value().asString().ifPresent(label -> {
          Names.checkLabelKey(key).ifPresent(entry.key()::error);
          Names.checkLabelValue(label).ifPresent(entry.value()::error);
          labels.put(key, label);
        }));
      }
    });
    return labels;
  }

  /**
   * A workload selector's {@code matchLabels}. A selector without labels narrows nothing; as in
   * Istio, that is a warning and the result is empty.
   */
  static Map<String, String> selector(YamlValue value) {
    return value.asMap().map(map -> {
      map.checkFields(SELECTOR);
      Optional<YamlValue> matchLabels = map.get("matchLabels");
      Map<String, String> labels = matchLabels.map(Labels::read).orElse(Map.of());
      boolean noLabels = matchLabels.isEmpty()
          || (matchLabels.get().node() instanceof MappingNode written
              && written.getValue().isEmpty());
      if (noLabels) {
        map.warning("workload selector specified without labels; it selects every workload in"
            + " the namespace");
      }
      return labels;
    }).orElse(Map.of());
  }
}
