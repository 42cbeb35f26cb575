package dev.weft.policy;

import java.util.Objects;

/** One endpoint of a service port as a client sees it: the workload, its port, and the TLS to use. */
public record EndpointRoute(Workload workload, int targetPort, OutboundDecision tls) {

  public EndpointRoute {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(tls, "tls");
  }
}
