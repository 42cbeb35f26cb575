package dev.weft.config;

import dev.weft.identity.TrustDomain;
import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshConfig;
import java.util.Optional;

/** Reads Weft's {@code MeshConfig} {@code spec}; every field has a default. */
final class MeshConfigParser implements SpecParser {
  static final Fields SPEC =
      Fields.of("rootNamespace", "trustDomain", "enableAutoMtls", "compatibility");

  @Override
  public ParsedSpec parse(YamlMap spec, String namespace) {
    spec.checkFields(SPEC);
    MeshConfig defaults = MeshConfig.DEFAULT;
    String rootNamespace = spec.get("rootNamespace").flatMap(YamlValue::asString)
        .orElse(defaults.rootNamespace());
    Names.checkDns1123Label(rootNamespace)
        .ifPresent(message -> spec.error("rootNamespace", message));
    TrustDomain trustDomain = spec.get("trustDomain")
        .flatMap(value -> value.asString().flatMap(name -> trustDomain(name, value)))
        .orElse(defaults.trustDomain());
    boolean enableAutoMtls = spec.get("enableAutoMtls").flatMap(YamlValue::asBool)
        .orElse(defaults.enableAutoMtls());
    Compatibility compatibility = spec.get("compatibility")
        .flatMap(MeshConfigParser::compatibility)
        .orElse(defaults.compatibility());
    MeshConfig config = new MeshConfig(rootNamespace, trustDomain, enableAutoMtls, compatibility);
    return (resources, meta) -> resources.add(config);
  }

  private static Optional<TrustDomain> trustDomain(String name, YamlValue value) {
    try {
      return Optional.of(TrustDomain.parse(name));
    } catch (IllegalArgumentException e) {
      value.error(e.getMessage());
      return Optional.empty();
    }
  }

  /** {@code latest} or {@code 1.9}, which YAML reads as a number unless quoted. */
  private static Optional<Compatibility> compatibility(YamlValue value) {
    return value.asStringOrNumber().flatMap(label -> {
      try {
        return Optional.of(Compatibility.parse(label));
      } catch (IllegalArgumentException e) {
        value.error(e.getMessage());
        return Optional.empty();
      }
    });
  }
}
