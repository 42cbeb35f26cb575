package dev.weft.samples.demo;

import dev.weft.policy.Compatibility;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What one configuration changes from another, in a line per resource. */
final class ConfigurationChange {
  private ConfigurationChange() {}

  /** {@code + ...}, {@code - ...} and {@code = ...} lines, and the auto-mTLS rules if changed. */
  static List<String> lines(MeshResources before, Compatibility compatBefore,
      MeshResources after, Compatibility compatAfter) {
    Map<ResourceId, String> old = describe(before);
    Map<ResourceId, String> now = describe(after);
    List<String> lines = new ArrayList<>();
    old.forEach((id, text) -> {
      if (!now.containsKey(id)) {
        lines.add("- " + text);
      }
    });
    now.forEach((id, text) -> lines.add((!old.containsKey(id) ? "+ "
        : old.get(id).equals(text) ? "= " : "~ ") + text));
    if (compatBefore != compatAfter) {
      lines.add("auto mTLS now follows " + rules(compatAfter) + " (was " + rules(compatBefore)
          + ")");
    }
    if (lines.isEmpty()) {
      lines.add("no PeerAuthentication, no DestinationRule");
    }
    return lines;
  }

  static String rules(Compatibility compatibility) {
    return compatibility == Compatibility.ISTIO_1_9 ? "Istio 1.9's rules" : "current Istio's rules";
  }

  private static Map<ResourceId, String> describe(MeshResources resources) {
    Map<ResourceId, String> described = new LinkedHashMap<>();
    for (PeerAuthentication pa : resources.peerAuthentications()) {
      described.put(pa.meta().id(), pa.meta().id() + ": " + pa.mode() + " for "
          + scope(pa, resources.meshConfig().rootNamespace()));
    }
    for (DestinationRule rule : resources.destinationRules()) {
      String tls = rule.trafficPolicy().flatMap(policy -> policy.tls())
          .map(clientTls -> "tls " + clientTls.mode()).orElse("no tls settings");
      described.put(rule.meta().id(), rule.meta().id() + ": " + tls + " to " + rule.host());
    }
    return described;
  }

  private static String scope(PeerAuthentication pa, String rootNamespace) {
    if (pa.hasSelector()) {
      return pa.selector().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(",")) + " in " + pa.meta().namespace();
    }
    return pa.meta().namespace().equals(rootNamespace) ? "the whole mesh"
        : "namespace " + pa.meta().namespace();
  }
}
