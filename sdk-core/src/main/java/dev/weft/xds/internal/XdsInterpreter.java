package dev.weft.xds.internal;

import dev.weft.mesh.InboundPolicy;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

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
}
