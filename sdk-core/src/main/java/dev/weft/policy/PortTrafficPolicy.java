package dev.weft.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code portLevelSettings} entry. It applies to a Service port and replaces the whole
 * destination-level policy for that port: a field it leaves out is unset, not inherited.
 */
public record PortTrafficPolicy(int port, Optional<LoadBalancer> loadBalancer, Optional<ClientTls> tls) {

  public PortTrafficPolicy {
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    Objects.requireNonNull(tls, "tls");
  }
}
