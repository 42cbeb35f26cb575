package dev.weft.config;

import dev.weft.policy.Service;
import dev.weft.policy.ServicePort;
import dev.weft.policy.TargetPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads a Kubernetes Service {@code spec} and checks its ports as Kubernetes does. */
final class ServiceParser implements SpecParser {
  static final Fields SPEC = Fields.of("selector", "ports", "type", "clusterIP")
      .ignoring("clusterIPs", "externalIPs", "externalName", "externalTrafficPolicy",
          "internalTrafficPolicy", "healthCheckNodePort", "ipFamilies", "ipFamilyPolicy",
          "loadBalancerClass", "loadBalancerIP", "loadBalancerSourceRanges",
          "allocateLoadBalancerNodePorts", "publishNotReadyAddresses", "sessionAffinity",
          "sessionAffinityConfig", "trafficDistribution");
  static final Fields PORT = Fields.of("name", "port", "targetPort", "protocol")
      .ignoring("appProtocol", "nodePort");
  private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");

  @Override
  public ParsedSpec parse(YamlMap spec, String namespace) {
    spec.checkFields(SPEC);
    Map<String, String> selector = spec.get("selector").map(Labels::read).orElse(Map.of());
    String type = spec.get("type").flatMap(YamlValue::asString).orElse("ClusterIP");
    String clusterIp = spec.get("clusterIP").flatMap(YamlValue::asString).orElse("");
    List<YamlValue> portValues = spec.get("ports").flatMap(YamlValue::asList).orElse(List.of());
    // Kubernetes lets headless and ExternalName Services go without ports.
    if (portValues.isEmpty() && !clusterIp.equals("None") && !type.equals("ExternalName")) {
      spec.error("ports", "a Service needs at least one port");
    }
    List<ServicePort> ports = ports(portValues);
    return (resources, meta) -> resources.add(new Service(meta, selector, ports));
  }

  private static List<ServicePort> ports(List<YamlValue> values) {
    List<ServicePort> ports = new ArrayList<>();
    Map<String, String> pathByName = new HashMap<>();
    Map<String, String> pathByPortAndProtocol = new HashMap<>();
    boolean namesRequired = values.size() > 1;
    for (YamlValue value : values) {
      value.asMap().ifPresent(map -> {
        map.checkFields(PORT);
        String name = map.get("name").flatMap(YamlValue::asString).orElse("");
        if (name.isEmpty() && namesRequired) {
          map.error("name", "each port of a Service with more than one port needs a name");
        } else if (!name.isEmpty()) {
          Names.checkDns1123Label(name).ifPresent(message -> map.error("name", message));
          String earlier = pathByName.putIfAbsent(name, map.path());
          if (earlier != null) {
            map.error("name", "duplicate port name " + YamlValue.quoted(name) + "; also in "
                + earlier);
          }
        }
        Optional<Integer> port = map.get("port").flatMap(YamlValue::asPort);
        if (map.get("port").isEmpty()) {
          map.error("port", "required: a port number from 1 to " + YamlValue.MAX_PORT);
        }
        String protocol = map.get("protocol")
            .flatMap(v -> v.asOneOf(PROTOCOLS, "protocol"))
            .orElse("TCP");
        port.ifPresent(number -> {
          String earlier = pathByPortAndProtocol.putIfAbsent(number + "/" + protocol, map.path());
          if (earlier != null) {
            map.error("port", "duplicate port " + number + "/" + protocol + "; also in " + earlier);
          }
        });
        Optional<TargetPort> targetPort = map.get("targetPort")
            .map(v -> targetPort(v, port))
            .orElse(port.map(TargetPort::number));
        if (port.isPresent() && targetPort.isPresent()) {
          ports.add(new ServicePort(name, port.get(), targetPort.get()));
        }
      });
    }
    return ports;
  }

  /** A number 1..65535 (0 means the same as the port, as Kubernetes defaults it), or a name. */
  private static Optional<TargetPort> targetPort(YamlValue value, Optional<Integer> port) {
    if (value.node().getTag().equals(Tag.INT)) {
      return value.asInt().flatMap(number -> {
        if (number == 0) {
          return port.map(TargetPort::number);
        }
        if (!YamlValue.isPort(number)) {
          value.error("must be a port number from 1 to " + YamlValue.MAX_PORT + " or a port name,"
              + " found " + number);
          return Optional.empty();
        }
        return Optional.of(TargetPort.number(number));
      });
    }
    return value.asString().flatMap(name -> {
      Optional<String> problem = Names.checkIanaServiceName(name);
      problem.ifPresent(value::error);
      return problem.isPresent() ? Optional.empty() : Optional.of(TargetPort.named(name));
    });
  }
}
