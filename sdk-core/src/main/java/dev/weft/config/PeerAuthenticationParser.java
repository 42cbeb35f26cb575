package dev.weft.config;

import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads a PeerAuthentication {@code spec} and checks it as Istio's webhook and CRD do. */
final class PeerAuthenticationParser implements SpecParser {
  static final Fields SPEC = Fields.of("selector", "mtls", "portLevelMtls");
  static final Fields MTLS = Fields.of("mode");
  private static final List<String> MODES =
      Stream.of(MtlsMode.values()).map(MtlsMode::name).toList();

  @Override
  public ParsedSpec parse(YamlMap spec, String namespace) {
    spec.checkFields(SPEC);
    Map<String, String> selector = spec.get("selector").map(Labels::selector).orElse(Map.of());
    MtlsMode mode = spec.get("mtls")
        .flatMap(YamlValue::asMap)
        .flatMap(mtls -> {
          mtls.checkFields(MTLS);
          return mtls.get("mode").flatMap(PeerAuthenticationParser::mode);
        })
        .orElse(MtlsMode.UNSET);
    Map<Integer, MtlsMode> portLevelMtls = spec.get("portLevelMtls")
        .map(value -> portLevelMtls(value, !selector.isEmpty()))
        .orElse(Map.of());
    return (resources, meta) ->
        resources.add(new PeerAuthentication(meta, selector, mode, portLevelMtls));
  }

  private static Map<Integer, MtlsMode> portLevelMtls(YamlValue value, boolean hasSelector) {
    Map<Integer, MtlsMode> modes = new HashMap<>();
    value.asMap().ifPresent(map -> {
      if (!hasSelector) {
        map.error("requires a selector: mesh/namespace peer authentication cannot have port"
            + " level mTLS");
      }
      if (map.isEmpty()) {
        map.error("port level mTLS, if defined, must have at least one element");
      }
      for (YamlMap.Entry entry : map.entries()) {
        Optional<Integer> port = port(entry.key());
        Optional<MtlsMode> mode = entry.value().asMap().flatMap(PeerAuthenticationParser::portMode);
        if (port.isPresent() && mode.isPresent()
            && modes.putIfAbsent(port.get(), mode.get()) != null) {
          entry.key().error("port " + port.get() + " appears more than once");
        }
      }
    });
    return modes;
  }

  /** A port key: YAML reads it as a number, or quoted as text; either must be 1..65535. */
  private static Optional<Integer> port(YamlValue key) {
    String text = ((ScalarNode) key.node()).getValue();
    Tag tag = key.node().getTag();
    if (!(tag.equals(Tag.INT) || tag.equals(Tag.STR)) || !text.matches("[0-9]+")) {
      key.error("a port must be a number from 1 to " + YamlValue.MAX_PORT + ", found "
          + YamlValue.quoted(text));
      return Optional.empty();
    }
    if (text.length() > 5 || !YamlValue.isPort(Integer.parseInt(text))) {
      key.error("port must be in range 1.." + YamlValue.MAX_PORT + ", found " + text);
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(text));
  }

  private static Optional<MtlsMode> portMode(YamlMap entry) {
    entry.checkFields(MTLS);
    Optional<YamlValue> mode = entry.get("mode");
    if (mode.isEmpty()) {
      entry.error("mode", "required; valid values are " + String.join(", ", MODES));
    }
    return mode.flatMap(PeerAuthenticationParser::mode);
  }

  private static Optional<MtlsMode> mode(YamlValue value) {
    return value.asOneOf(MODES, "mTLS mode").map(MtlsMode::valueOf);
  }
}
