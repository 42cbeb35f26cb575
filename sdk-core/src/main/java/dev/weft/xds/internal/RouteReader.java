package dev.weft.xds.internal;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Finds the one cluster a route configuration sends {@code host:port} to. Weft compiles routes
 * before any request exists, so it takes the first route that matches every request, and
 * rejects configurations where an earlier route would send some requests elsewhere.
 */
final class RouteReader {
  private RouteReader() {}

  /** The cluster that {@code config} sends every request for {@code host:port} to. */
  static String cluster(RouteConfiguration config, String host, int port)
      throws InvalidResourceException {
    FieldPath at = FieldPath.of("RouteConfiguration", config.getName());
    OptionalInt index = VirtualHostMatcher.select(config.getVirtualHostsList(), host, port);
    if (index.isEmpty()) {
      throw at.field("virtual_hosts").invalid("no virtual host has a domain matching " + host
          + ":" + port + " or " + host);
    }
    VirtualHost virtualHost = config.getVirtualHosts(index.getAsInt());
    FieldPath hostAt = at.field("virtual_hosts").index(index.getAsInt());
    Routes.rejectFilterOverrides(virtualHost.getTypedPerFilterConfigMap(), hostAt);
    List<String> earlier = new ArrayList<>();
    for (int i = 0; i < virtualHost.getRoutesCount(); i++) {
      Route route = virtualHost.getRoutes(i);
      FieldPath routeAt = hostAt.field("routes").index(i);
      Routes.rejectFilterOverrides(route.getTypedPerFilterConfigMap(), routeAt);
      String cluster = cluster(route, routeAt);
      if (Routes.matchesEveryRequest(route.getMatch())) {
        for (int j = 0; j < earlier.size(); j++) {
          if (!earlier.get(j).equals(cluster)) {
            throw hostAt.field("routes").index(j).invalid("sends the requests it matches to "
                + earlier.get(j) + " and routes[" + i + "] sends the rest to " + cluster
                + "; Weft sends every request for a host and port to one cluster");
          }
        }
        return cluster;
      }
      earlier.add(cluster);
    }
    throw hostAt.field("routes").invalid("none matches every request (prefix \"/\" and no"
        + " other condition); Weft sends every request for a host and port to one cluster");
  }

  private static String cluster(Route route, FieldPath at) throws InvalidResourceException {
    if (!route.hasRoute()) {
      String action = Protos.oneofField(route, "action");
      throw at.field(action.isEmpty() ? "route" : action).invalid((action.isEmpty()
          ? "is missing" : "is not a route to a cluster")
          + "; Weft only sends requests on to a cluster");
    }
    RouteAction action = route.getRoute();
    FieldPath actionAt = at.field("route");
    switch (action.getClusterSpecifierCase()) {
      case CLUSTER:
        if (action.getCluster().isEmpty()) {
          throw actionAt.field("cluster").invalid("is empty");
        }
        return action.getCluster();
      case WEIGHTED_CLUSTERS:
        return weighted(action.getWeightedClusters(), actionAt.field("weighted_clusters"));
      default:
        String specifier = Protos.oneofField(action, "cluster_specifier");
        throw actionAt.field(specifier.isEmpty() ? "cluster" : specifier).invalid(
            (specifier.isEmpty() ? "is missing" : "is not supported")
            + "; Weft needs a cluster name");
    }
  }

  /** The only cluster with weight, as when a VirtualService shifts all traffic to one subset. */
  private static String weighted(WeightedCluster weighted, FieldPath at)
      throws InvalidResourceException {
    List<WeightedCluster.ClusterWeight> carrying = weighted.getClustersList().stream()
        .filter(c -> c.getWeight().getValue() > 0).toList();
    if (carrying.size() == 1) {
      return carrying.get(0).getName();
    }
    throw at.invalid((carrying.isEmpty() ? "gives no cluster any weight"
        : "splits traffic between " + carrying.stream()
            .map(c -> c.getName() + " (weight " + c.getWeight().getValue() + ")")
            .collect(Collectors.joining(", ")))
        + "; Weft sends every request for a host and port to one cluster");
  }
}
