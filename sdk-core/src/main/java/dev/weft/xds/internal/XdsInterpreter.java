package dev.weft.xds.internal;

import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/**
 * Validates the xDS resources a workload receives, from istiod or Weft's control plane, and
 * compiles them into Weft's decision tables. A resource Weft cannot apply exactly is rejected
 * with an {@link InvalidResourceException} naming the resource and field, for the client's
 * NACK: Weft fails closed and never reads what it does not understand as plaintext. Stateless.
 */
public final class XdsInterpreter {
  private XdsInterpreter() {}

  /** What server {@code listener} lets container port {@code port} accept. */
  public static InboundPolicy inbound(Listener listener, int port)
      throws InvalidResourceException {
    return ServerListenerReader.read(listener, port);
  }

  /** Where client {@code listener}'s routes are: a name to fetch by RDS, or inline. */
  public static RouteSource routeSource(Listener listener) throws InvalidResourceException {
    return ClientListenerReader.read(listener);
  }

  /** The cluster {@code config} sends every request for {@code host:port} to. */
  public static String clusterName(RouteConfiguration config, String host, int port)
      throws InvalidResourceException {
    return RouteReader.cluster(config, host, port);
  }

  /** What {@code cluster} says about reaching its endpoints, in mesh {@code trustDomain}. */
  public static ClusterSettings cluster(Cluster cluster, TrustDomain trustDomain)
      throws InvalidResourceException {
    return ClusterReader.read(cluster, trustDomain);
  }

  /** The endpoints of {@code cluster} to use, each with its TLS. */
  public static List<OutboundRoute.Endpoint> endpoints(ClusterLoadAssignment assignment,
      ClusterSettings cluster, TrustDomain trustDomain) throws InvalidResourceException {
    return EndpointReader.read(assignment, cluster, trustDomain);
  }

  /** How this workload reaches {@code host:port} through {@code cluster}. */
  public static OutboundRoute compose(String host, int port, ClusterSettings cluster,
      List<OutboundRoute.Endpoint> endpoints) {
    return new OutboundRoute(host, port, cluster.name(), cluster.loadBalancer(), endpoints);
  }
}
