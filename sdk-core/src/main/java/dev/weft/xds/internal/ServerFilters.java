package dev.weft.xds.internal;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

/**
 * Checks a server chain's filters: one HttpConnectionManager that serves every request, as
 * istiod writes it (one virtual host {@code *}, one route {@code /}, NonForwardingAction).
 */
final class ServerFilters {
  private static final String SERVES_ALL = "Weft serves every request that reaches an inbound"
      + " port; a server route that selects requests is not supported";

  private ServerFilters() {}

  /** Rejects chain filters that would make the server treat requests differently. */
  static void check(FilterChain chain, FieldPath at) throws InvalidResourceException {
    if (chain.getFiltersCount() != 1) {
      throw at.field("filters").invalid("has " + chain.getFiltersCount()
          + " filters; Weft expects one HttpConnectionManager");
    }
    FieldPath hcmAt = at.field("filters").index(0).field("typed_config");
    HttpConnectionManager hcm = Protos.unpack(
        chain.getFilters(0).getTypedConfig(), HttpConnectionManager.class, hcmAt);
    HttpFilters.check(hcm, hcmAt);
    if (!hcm.hasRouteConfig()) {
      throw hcmAt.field("route_config").invalid("is missing; a server's routes must be inline");
    }
    FieldPath hostsAt = hcmAt.field("route_config").field("virtual_hosts");
    RouteConfiguration routes = hcm.getRouteConfig();
    if (routes.getVirtualHostsCount() != 1) {
      throw hostsAt.invalid("has " + routes.getVirtualHostsCount() + " virtual hosts; "
          + SERVES_ALL);
    }
    VirtualHost host = routes.getVirtualHosts(0);
    FieldPath hostAt = hostsAt.index(0);
    if (!host.getDomainsList().contains("*")) {
      throw hostAt.field("domains").invalid("does not include \"*\"; " + SERVES_ALL);
    }
    Routes.rejectFilterOverrides(host.getTypedPerFilterConfigMap(), hostAt);
    if (host.getRoutesCount() != 1) {
      throw hostAt.field("routes").invalid("has " + host.getRoutesCount() + " routes; "
          + SERVES_ALL);
    }
    Route route = host.getRoutes(0);
    FieldPath routeAt = hostAt.field("routes").index(0);
    if (!Routes.matchesEveryRequest(route.getMatch())) {
      throw routeAt.field("match").invalid("does not match every request; " + SERVES_ALL);
    }
    if (!route.hasNonForwardingAction()) {
      throw routeAt.invalid("is not a non_forwarding_action; a server serves requests itself");
    }
    Routes.rejectFilterOverrides(route.getTypedPerFilterConfigMap(), routeAt);
  }
}
