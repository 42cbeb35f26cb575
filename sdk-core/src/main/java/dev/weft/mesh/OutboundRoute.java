package dev.weft.mesh;

import dev.weft.policy.LoadBalancer;
import java.util.List;
import java.util.Objects;

/**
 * How this workload reaches one {@code host:port}, compiled from the control plane's listener,
 * route, cluster and endpoints: where the endpoints are, how to balance between them, and the
 * TLS to use for each.
 *
 * @param host the host as the application wrote it
 * @param port the port as the application wrote it
 * @param cluster the cluster it resolves to, {@code outbound|<port>||<fqdn>}
 * @param loadBalancer how to pick an endpoint
 * @param endpoints the endpoints, each with its TLS
 */
public record OutboundRoute(
    String host, int port, String cluster, LoadBalancer loadBalancer, List<Endpoint> endpoints) {

  public OutboundRoute {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    endpoints = List.copyOf(endpoints);
  }

  /** One endpoint: an address and the TLS to use for it. */
  public record Endpoint(String address, int port, UpstreamTls tls) {
    public Endpoint {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(tls, "tls");
    }
  }
}
