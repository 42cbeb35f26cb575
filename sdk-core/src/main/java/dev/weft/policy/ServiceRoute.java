package dev.weft.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one client reaches one Service port: the DestinationRule that applies, the load balancer,
 * and every endpoint with the TLS the client uses for it.
 *
 * @param service the Service
 * @param port the Service port
 * @param destinationRule the rule that applies, if any
 * @param ruleTls the TLS a rule sets for the whole port; empty when auto mTLS decides per endpoint
 * @param loadBalancer the load balancer the rule asks for
 * @param endpoints every endpoint, with the TLS for it
 */
public record ServiceRoute(
    Service service, ServicePort port, Optional<EffectiveDestinationRule> destinationRule,
    Optional<OutboundDecision> ruleTls, LoadBalancer loadBalancer, List<EndpointRoute> endpoints) {

  public ServiceRoute {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(destinationRule, "destinationRule");
    Objects.requireNonNull(ruleTls, "ruleTls");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    endpoints = List.copyOf(endpoints);
  }

  /** The endpoint route for {@code workload}, if it backs this port. */
  public Optional<EndpointRoute> endpoint(Workload workload) {
    for (EndpointRoute endpoint : endpoints) {
      if (endpoint.workload().equals(workload)) {
        return Optional.of(endpoint);
      }
    }
    return Optional.empty();
  }
}
