package dev.weft.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A DestinationRule's {@code trafficPolicy}: load balancing and TLS, with per-port overrides. */
public record TrafficPolicy(
    Optional<LoadBalancer> loadBalancer, Optional<ClientTls> tls,
    List<PortTrafficPolicy> portLevelSettings) {

  public TrafficPolicy {
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    Objects.requireNonNull(tls, "tls");
    portLevelSettings = List.copyOf(portLevelSettings);
  }

  /** The entry for Service port {@code port}, if any. */
  public Optional<PortTrafficPolicy> forPort(int port) {
    for (PortTrafficPolicy settings : portLevelSettings) {
      if (settings.port() == port) {
        return Optional.of(settings);
      }
    }
    return Optional.empty();
  }
}
