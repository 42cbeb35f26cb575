package dev.weft.xds.internal;

import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.policy.internal.MutualTlsFloor;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
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

  /**
   * What server {@code listener} lets container port {@code port} accept, under the policy the
   * workload authored: with {@code @RequireMutualTls}, a mode weaker than STRICT is raised to
   * STRICT, the reason that decided it saying so. A control plane that knew the floor already
   * sent STRICT, which stays as it is, with its own reasons.
   */
  public static InboundPolicy inbound(Listener listener, int port, WorkloadPolicy authored)
      throws InvalidResourceException {
    return floor(ServerListenerReader.read(listener, port), authored);
  }

  /** {@code policy} raised to STRICT if {@code authored} requires mutual TLS. */
  static InboundPolicy floor(InboundPolicy policy, WorkloadPolicy authored) {
    if (policy.mode() == MtlsMode.STRICT || !authored.requiresMutualTls()) {
      return policy;
    }
    List<String> because = new ArrayList<>(policy.because());
    String origin = authored.mutualTlsRequiredBy().get();
    if (because.isEmpty()) {
      because.add(MutualTlsFloor.raised(policy.mode() + " on port " + policy.port(), origin));
    } else {
      because.set(0, MutualTlsFloor.raised(because.get(0), origin));
    }
    return new InboundPolicy(policy.port(), MtlsMode.STRICT, because);
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
