package dev.weft.config;

import dev.weft.policy.ClientTls;
import dev.weft.policy.LoadBalancer;
import dev.weft.policy.PortTrafficPolicy;
import dev.weft.policy.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a DestinationRule {@code trafficPolicy}, at the rule's top level or in a subset. */
final class TrafficPolicyParser {
  static final Fields POLICY = Fields.of("loadBalancer", "tls", "portLevelSettings")
      .ignoring("connectionPool", "outlierDetection", "tunnel", "proxyProtocol", "retryBudget");
  static final Fields PORT_POLICY = Fields.of("port", "loadBalancer", "tls")
      .ignoring("connectionPool", "outlierDetection");
  static final Fields LOAD_BALANCER = Fields.of("simple")
      .ignoring("consistentHash", "localityLbSetting", "zoneAwareLbSetting", "warmupDurationSecs",
          "warmup");
  static final Fields PORT_SELECTOR = Fields.of("number");
  private static final List<String> SIMPLE_NAMES = List.of(
      "UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST", "LEAST_CONN");

  private TrafficPolicyParser() {}

  /** The policy in {@code value}. */
  static Optional<TrafficPolicy> parse(YamlValue value) {
    return value.asMap().map(map -> {
      map.checkFields(POLICY);
      if (POLICY.all().stream().noneMatch(field -> map.get(field).isPresent())) {
        map.error("traffic policy must have at least one field");
      }
      return new TrafficPolicy(
          map.get("loadBalancer").flatMap(TrafficPolicyParser::loadBalancer),
          map.get("tls").flatMap(ClientTlsParser::parse),
          map.get("portLevelSettings").map(TrafficPolicyParser::portLevelSettings)
              .orElse(List.of()));
    });
  }

  /**
   * {@code loadBalancer.simple}; a load balancer given only as settings Weft does not model
   * (consistent hashing, say) reads as {@link LoadBalancer#UNSPECIFIED}.
   */
  private static Optional<LoadBalancer> loadBalancer(YamlValue value) {
    return value.asMap().map(map -> {
      map.checkFields(LOAD_BALANCER);
      if (map.get("simple").isPresent() && map.get("consistentHash").isPresent()) {
        map.error("set only one of simple and consistentHash");
      }
      return map.get("simple")
          .flatMap(v -> v.asOneOf(SIMPLE_NAMES, "load balancer"))
          .map(name -> name.equals("LEAST_CONN") ? LoadBalancer.LEAST_REQUEST
              : LoadBalancer.valueOf(name))
          .orElse(LoadBalancer.UNSPECIFIED);
    });
  }

  private static List<PortTrafficPolicy> portLevelSettings(YamlValue value) {
    List<PortTrafficPolicy> settings = new ArrayList<>();
    Map<Integer, String> pathByPort = new HashMap<>();
    for (YamlValue element : value.asList().orElse(List.of())) {
      element.asMap().ifPresent(map -> portTrafficPolicy(map).ifPresent(policy -> {
        String earlier = pathByPort.putIfAbsent(policy.port(), map.path());
        if (earlier != null) {
          map.error("port", "port " + policy.port() + " already has settings in " + earlier);
        }
        settings.add(policy);
      }));
    }
    return settings;
  }

  private static Optional<PortTrafficPolicy> portTrafficPolicy(YamlMap map) {
    map.checkFields(PORT_POLICY);
    Optional<Integer> port = map.get("port").flatMap(TrafficPolicyParser::portNumber);
    if (map.get("port").isEmpty()) {
      map.error("port", "portTrafficPolicy must have valid port");
    }
    if (PORT_POLICY.all().stream().filter(f -> !f.equals("port"))
        .noneMatch(field -> map.get(field).isPresent())) {
      map.error("port traffic policy must have at least one field");
    }
    Optional<LoadBalancer> loadBalancer = map.get("loadBalancer")
        .flatMap(TrafficPolicyParser::loadBalancer);
    Optional<ClientTls> tls = map.get("tls").flatMap(ClientTlsParser::parse);
    return port.map(number -> new PortTrafficPolicy(number, loadBalancer, tls));
  }

  private static Optional<Integer> portNumber(YamlValue value) {
    return value.asMap().flatMap(map -> {
      map.checkFields(PORT_SELECTOR);
      Optional<YamlValue> number = map.get("number");
      if (number.isEmpty()) {
        map.error("number", "required: a port number from 1 to " + YamlValue.MAX_PORT);
      }
      return number.flatMap(YamlValue::asPort);
    });
  }
}
