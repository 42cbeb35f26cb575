package dev.weft.xds.internal;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.policy.WorkloadPolicy;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes the Istio node metadata of {@link WorkloadNode}s. */
public final class NodeMetadata {
  public static final String GENERATOR = "GENERATOR";
  public static final String NAMESPACE = "NAMESPACE";
  public static final String LABELS = "LABELS";
  public static final String SERVICE_ACCOUNT = "SERVICE_ACCOUNT";
  public static final String INSTANCE_IPS = "INSTANCE_IPS";
  public static final String CLUSTER_ID = "CLUSTER_ID";
  public static final String POD_PORTS = "POD_PORTS";
  public static final String ISTIO_VERSION = "ISTIO_VERSION";
  public static final String WORKLOAD_NAME = "WORKLOAD_NAME";
  public static final String WEFT_VERSION = "WEFT_VERSION";
  public static final String WEFT_PORT_BINDINGS = "WEFT_PORT_BINDINGS";
  /** The policy the workload authored; see {@link WorkloadPolicyMetadata} for its form. */
  public static final String WEFT_WORKLOAD_POLICY = "WEFT_WORKLOAD_POLICY";

  /** The Istio release whose proxyless protocol Weft speaks. */
  static final String ISTIO_VERSION_SPOKEN = "1.29.0";

  private static final Pattern POD_PORT = Pattern.compile(
      "\\{[^}]*\"name\"\\s*:\\s*\"([^\"]+)\"[^}]*\"containerPort\"\\s*:\\s*(\\d+)[^}]*}");

  private NodeMetadata() {}

  /** The node to send on a stream, with {@code GENERATOR: grpc} as istiod's proxyless mode needs. */
  public static Node toNode(WorkloadNode workload) {
    Struct.Builder metadata = Struct.newBuilder()
        .putFields(GENERATOR, string("grpc"))
        .putFields(NAMESPACE, string(workload.namespace()))
        .putFields(LABELS, Value.newBuilder().setStructValue(strings(workload.labels())).build())
        .putFields(SERVICE_ACCOUNT, string(workload.serviceAccount()))
        .putFields(INSTANCE_IPS, string(String.join(",", workload.instanceIps())))
        .putFields(CLUSTER_ID, string(workload.clusterId()))
        .putFields(ISTIO_VERSION, string(ISTIO_VERSION_SPOKEN))
        .putFields(WORKLOAD_NAME, string(workload.name()));
    if (!workload.namedPorts().isEmpty()) {
      metadata.putFields(POD_PORTS, string(podPorts(workload.namedPorts())));
    }
    workload.weftVersion().ifPresent(v -> metadata.putFields(WEFT_VERSION, string(v)));
    if (!workload.portBindings().isEmpty()) {
      Map<String, String> bindings = new TreeMap<>();
      workload.portBindings().forEach((port, address) ->
          bindings.put(Integer.toString(port), address.toString()));
      metadata.putFields(WEFT_PORT_BINDINGS,
          Value.newBuilder().setStructValue(strings(bindings)).build());
    }
    if (!workload.authoredPolicy().isEmpty()) {
      metadata.putFields(WEFT_WORKLOAD_POLICY,
          WorkloadPolicyMetadata.write(workload.authoredPolicy()));
    }
    return Node.newBuilder().setId(workload.id()).setMetadata(metadata).build();
  }

  /**
   * The workload a node describes; throws naming the field that is missing or malformed. A
   * malformed {@code WEFT_WORKLOAD_POLICY} is an error like any other, never ignored: the
   * workload's own policy may only make it stricter.
   */
  public static WorkloadNode fromNode(Node node) {
    Map<String, Value> fields = node.getMetadata().getFieldsMap();
    String[] idParts = node.getId().split("~");
    if (idParts.length != 4) {
      throw new IllegalArgumentException("node id \"" + node.getId() + "\" is not Istio's"
          + " sidecar~<ip>~<pod>.<namespace>~<namespace>.svc.cluster.local");
    }
    String namespace = required(fields, NAMESPACE);
    String pod = idParts[2].endsWith("." + namespace)
        ? idParts[2].substring(0, idParts[2].length() - namespace.length() - 1) : idParts[2];
    List<String> ips = new ArrayList<>();
    for (String ip : optional(fields, INSTANCE_IPS).orElse(idParts[1]).split(",")) {
      if (!ip.isBlank()) {
        ips.add(ip.strip());
      }
    }
    return new WorkloadNode(node.getId(), namespace, pod, stringMap(fields, LABELS),
        optional(fields, SERVICE_ACCOUNT).orElse("default"), ips,
        optional(fields, CLUSTER_ID).orElse("Kubernetes"),
        namedPorts(optional(fields, POD_PORTS).orElse("")), optional(fields, WEFT_VERSION),
        bindings(stringMap(fields, WEFT_PORT_BINDINGS)),
        fields.containsKey(WEFT_WORKLOAD_POLICY)
            ? WorkloadPolicyMetadata.read(fields.get(WEFT_WORKLOAD_POLICY))
            : WorkloadPolicy.NONE);
  }

  private static Map<Integer, HostAndPort> bindings(Map<String, String> raw) {
    Map<Integer, HostAndPort> bindings = new LinkedHashMap<>();
    raw.forEach((port, address) -> {
      try {
        bindings.put(Integer.parseInt(port), HostAndPort.parse(address));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("node metadata " + WEFT_PORT_BINDINGS + "[" + port
            + "] is not a port and a host:port: " + e.getMessage(), e);
      }
    });
    return bindings;
  }

  /** Istio sends POD_PORTS as a JSON string: {@code [{"name":"http","containerPort":80,...}]}. */
  private static Map<String, Integer> namedPorts(String json) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    Matcher matcher = POD_PORT.matcher(json);
    while (matcher.find()) {
      ports.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }
    return ports;
  }

  private static String podPorts(Map<String, Integer> ports) {
    List<String> entries = new ArrayList<>();
    new TreeMap<>(ports).forEach((name, port) -> entries.add(
        "{\"name\":\"" + name + "\",\"containerPort\":" + port + ",\"protocol\":\"TCP\"}"));
    return "[" + String.join(",", entries) + "]";
  }

  private static String required(Map<String, Value> fields, String key) {
    return optional(fields, key).orElseThrow(
        () -> new IllegalArgumentException("node metadata has no " + key));
  }

  private static Optional<String> optional(Map<String, Value> fields, String key) {
    Value value = fields.get(key);
    if (value == null || value.getKindCase() != Value.KindCase.STRING_VALUE
        || value.getStringValue().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(value.getStringValue());
  }

  private static Map<String, String> stringMap(Map<String, Value> fields, String key) {
    Value value = fields.get(key);
    if (value == null) {
      return Map.of();
    }
    if (value.getKindCase() != Value.KindCase.STRUCT_VALUE) {
      throw new IllegalArgumentException("node metadata " + key + " is not a map");
    }
    Map<String, String> map = new LinkedHashMap<>();
    value.getStructValue().getFieldsMap().forEach((k, v) -> map.put(k, v.getStringValue()));
    return map;
  }

  private static Struct strings(Map<String, String> map) {
    Struct.Builder struct = Struct.newBuilder();
    new TreeMap<>(map).forEach((k, v) -> struct.putFields(k, string(v)));
    return struct.build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
