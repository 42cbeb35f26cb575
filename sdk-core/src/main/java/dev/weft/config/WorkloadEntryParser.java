package dev.weft.config;

import dev.weft.policy.WorkloadEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a WorkloadEntry {@code spec} and checks it as Istio's webhook does. */
final class WorkloadEntryParser implements SpecParser {
  static final Fields SPEC = Fields.of("address", "labels", "serviceAccount", "ports")
      .ignoring("network", "locality", "weight");
  static final String DEFAULT_SERVICE_ACCOUNT = "default";

  @Override
  public ParsedSpec parse(YamlMap spec, String namespace) {
    spec.checkFields(SPEC);
    Optional<String> address = spec.requiredString("address", "address is required");
    address.flatMap(Names::checkWorkloadAddress).ifPresent(m -> spec.error("address", m));
    Map<String, String> labels = spec.get("labels").map(Labels::read).orElse(Map.of());
    String serviceAccount = spec.get("serviceAccount").flatMap(YamlValue::asString)
        .filter(text -> !text.isEmpty())
        .orElse(DEFAULT_SERVICE_ACCOUNT);
    Names.checkDns1123Subdomain(serviceAccount)
        .ifPresent(message -> spec.error("serviceAccount", message));
    Map<String, Integer> ports = spec.get("ports").map(WorkloadEntryParser::ports)
        .orElse(Map.of());
    if (address.filter(Names::isUnixAddress).isPresent() && !ports.isEmpty()) {
      spec.error("ports", "unix endpoint " + address.get() + " must not include ports");
    }
    return (resources, meta) -> resources.add(
        new WorkloadEntry(meta, address.orElse(""), labels, serviceAccount, ports));
  }

  private static Map<String, Integer> ports(YamlValue value) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    value.asMap().ifPresent(map -> {
      for (YamlMap.Entry entry : map.entries()) {
        entry.key().asString().ifPresent(name -> {
          Names.checkDns1123Label(name)
              .ifPresent(message -> entry.key().error("invalid port name: " + message));
          entry.value().asPort().ifPresent(port -> ports.put(name, port));
        });
      }
    });
    return ports;
  }
}
