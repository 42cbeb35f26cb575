package dev.weft.mesh;

import dev.weft.policy.LoadBalancer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * One endpoint: an address, the TLS to use for it and, when the control plane says (the Weft
   * control plane does, istiod does not), what its server accepts on that port and why.
   */
  public record Endpoint(String address, int port, UpstreamTls tls, Optional<InboundPolicy> server) {
    public Endpoint {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(server, "server");
    }

    /** An endpoint whose server's policy is not known. */
    public Endpoint(String address, int port, UpstreamTls tls) {
      this(address, port, tls, Optional.empty());
    }
  }
}
