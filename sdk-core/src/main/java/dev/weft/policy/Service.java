package dev.weft.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A Kubernetes {@code Service}: a name, ports, and the workloads its selector picks. */
public record Service(ResourceMeta meta, Map<String, String> selector, List<ServicePort> ports) {
  /** The DNS suffix of Service host names. */
  public static final String DOMAIN_SUFFIX = "svc.cluster.local";

  public Service {
    Objects.requireNonNull(meta, "meta");
    selector = Map.copyOf(selector);
    ports = List.copyOf(ports);
  }

  /** The fully qualified host, {@code <name>.<namespace>.svc.cluster.local}. */
  public String host() {
    return meta.name() + "." + meta.namespace() + "." + DOMAIN_SUFFIX;
  }

  /** The port clients call as {@code port}, if the Service has it. */
  public Optional<ServicePort> port(int port) {
    return ports.stream().filter(p -> p.port() == port).findFirst();
  }
}
