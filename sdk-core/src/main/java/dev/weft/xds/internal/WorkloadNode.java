package dev.weft.xds.internal;

import dev.weft.cert.internal.HostAndPort;
import dev.weft.policy.Workload;
import dev.weft.policy.WorkloadPolicy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A workload as it introduces itself on an xDS stream: Istio's node id and metadata, plus what
 * Weft adds — its version, which marks a workload that speaks every form Weft sends, the
 * address each container port is bound to, for many workloads on one loopback host, and the
 * policy it authored for itself.
 *
 * @param id Istio's node id, {@code sidecar~<ip>~<pod>.<namespace>~<namespace>.svc.cluster.local}
 * @param namespace {@code NAMESPACE}
 * @param name the pod name, from the node id
 * @param labels {@code LABELS}
 * @param serviceAccount {@code SERVICE_ACCOUNT}
 * @param instanceIps {@code INSTANCE_IPS}
 * @param clusterId {@code CLUSTER_ID}
 * @param namedPorts container ports by name, from {@code POD_PORTS}
 * @param weftVersion {@code WEFT_VERSION}; empty for a workload without Weft (grpc-java's xDS)
 * @param portBindings {@code WEFT_PORT_BINDINGS}: container port to the address it listens on
 * @param authoredPolicy {@code WEFT_WORKLOAD_POLICY}: the policy the workload authored
 */
public record WorkloadNode(
    String id, String namespace, String name, Map<String, String> labels, String serviceAccount,
    List<String> instanceIps, String clusterId, Map<String, Integer> namedPorts,
    Optional<String> weftVersion, Map<Integer, HostAndPort> portBindings,
    WorkloadPolicy authoredPolicy) {

  public WorkloadNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    instanceIps = List.copyOf(instanceIps);
    Objects.requireNonNull(clusterId, "clusterId");
    namedPorts = Map.copyOf(namedPorts);
    Objects.requireNonNull(weftVersion, "weftVersion");
    portBindings = Map.copyOf(portBindings);
    Objects.requireNonNull(authoredPolicy, "authoredPolicy");
  }

  /** A workload that authored no policy of its own. */
  public WorkloadNode(
      String id, String namespace, String name, Map<String, String> labels, String serviceAccount,
      List<String> instanceIps, String clusterId, Map<String, Integer> namedPorts,
      Optional<String> weftVersion, Map<Integer, HostAndPort> portBindings) {
    this(id, namespace, name, labels, serviceAccount, instanceIps, clusterId, namedPorts,
        weftVersion, portBindings, WorkloadPolicy.NONE);
  }

  /** Istio's node id for a pod {@code name} in {@code namespace} at {@code ip}. */
  public static String nodeId(String ip, String name, String namespace) {
    return "sidecar~" + ip + "~" + name + "." + namespace + "~" + namespace + ".svc.cluster.local";
  }

  /** Whether the workload runs Weft, and so understands Weft's forms (real PERMISSIVE, SIMPLE and MUTUAL TLS). */
  public boolean weft() {
    return weftVersion.isPresent();
  }

  /** The workload as the policy registry sees it. */
  public Workload workload() {
    boolean mesh = weft() || Workload.TLS_MODE_ISTIO.equals(labels.get(Workload.TLS_MODE_LABEL));
    return new Workload(namespace, name, labels, serviceAccount, mesh, namedPorts, false,
        authoredPolicy);
  }

  /**
   * The container port whose policy a server listening at {@code listening} follows: the port
   * itself if it is a container port with a binding, else the container port bound to that
   * address — matched by port alone for a wildcard address, which is how grpc-java's
   * {@code XdsServerBuilder} names every listener — else the port itself.
   */
  public int containerPort(HostAndPort listening) {
    if (portBindings.containsKey(listening.port())) {
      return listening.port();
    }
    boolean wildcard = listening.host().equals("0.0.0.0") || listening.host().equals("::");
    return portBindings.entrySet().stream()
        .filter(binding -> binding.getValue().port() == listening.port()
            && (wildcard || binding.getValue().host().equals(listening.host())))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(listening.port());
  }

  /** Where container port {@code port} is reached: its bound address, else the first IP. */
  public Optional<HostAndPort> address(int port) {
    HostAndPort bound = portBindings.get(port);
    if (bound != null) {
      return Optional.of(bound);
    }
    return instanceIps.isEmpty() ? Optional.empty()
        : Optional.of(new HostAndPort(instanceIps.get(0), port));
  }
}
