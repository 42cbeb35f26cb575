package dev.weft.xds.internal;

import static dev.weft.xds.internal.IstiodShapes.CLUSTER;
import static dev.weft.xds.internal.IstiodShapes.FQDN;
import static dev.weft.xds.internal.Rejections.assertRejected;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.PathConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ScopedRoutes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every client-side resource Weft cannot apply is rejected, naming the resource and the field. */
class OutboundRejectionTest {
  private static final String CLIENT_LISTENER = "httpbin.bar:8000";
  private static final String HCM = "api_listener.api_listener";
  private static final String ROUTES = "virtual_hosts[0].routes";

  @Test
  void aServerListenerIsNotAClientListener() {
    assertListenerRejected(IstiodShapes.serverListener(IstiodShapes.plaintextChain()).toBuilder()
        .setName(CLIENT_LISTENER).build(), "api_listener", "is missing");
  }

  @Test
  void routesFromAnotherConfigSourceAreRejected() {
    HttpConnectionManager.Builder hcm = IstiodShapes.clientHcm();
    hcm.getRdsBuilder().setConfigSource(fileSource("/etc/routes.yaml"));

    assertListenerRejected(listener(hcm), HCM + ".rds.config_source",
        "is path_config_source; Weft fetches every resource on its one ADS stream");
  }

  @Test
  void scopedRoutesAreRejected() {
    assertListenerRejected(listener(IstiodShapes.clientHcm()
            .setScopedRoutes(ScopedRoutes.newBuilder().setName("scopes"))),
        HCM + ".scoped_routes", "is not supported");
  }

  @Test
  void filtersMustEndWithTheRouterAlone() {
    assertListenerRejected(listener(IstiodShapes.clientHcm().clearHttpFilters()),
        HCM + ".http_filters", "is empty");
    assertListenerRejected(listener(IstiodShapes.clientHcm().removeHttpFilters(1)),
        HCM + ".http_filters[0]", "the router, and only the router, must be the last filter");
    assertListenerRejected(listener(IstiodShapes.clientHcm()
            .addHttpFilters(0, IstiodShapes.router())),
        HCM + ".http_filters[0]", "the router, and only the router, must be the last filter");
  }

  @Test
  void aFaultFilterThatInjectsFaultsIsRejected() {
    HTTPFault delay = HTTPFault.newBuilder().setDelay(FaultDelay.newBuilder()
        .setFixedDelay(Duration.newBuilder().setSeconds(1))).build();
    HttpConnectionManager.Builder hcm = IstiodShapes.clientHcm();
    hcm.getHttpFiltersBuilder(0).setTypedConfig(Any.pack(delay));

    assertListenerRejected(listener(hcm), HCM + ".http_filters[0].typed_config",
        "injects faults");
  }

  @Test
  void aRequiredFilterWeftDoesNotKnowIsRejected() {
    assertListenerRejected(listener(IstiodShapes.clientHcm().addHttpFilters(0, HttpFilter
            .newBuilder().setName("envoy.filters.http.stateful_session")
            .setTypedConfig(Any.pack(UInt32Value.of(1))))),
        HCM + ".http_filters[0]", "envoy.filters.http.stateful_session");
  }

  @Test
  void aHostNoVirtualHostMatchesIsRejected() {
    assertRouteRejected(IstiodShapes.routeConfiguration(IstiodShapes.httpbinHost().build()),
        "sleep", "virtual_hosts", "no virtual host has a domain matching sleep:8000 or sleep");
  }

  @Test
  void routesWithoutOneThatMatchesEveryRequestAreRejected() {
    assertRouteRejected(routes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(header()))
            .setRoute(RouteAction.newBuilder().setCluster(CLUSTER)).build()),
        FQDN, ROUTES, "none matches every request");
  }

  @Test
  void anEarlierRouteToAnotherClusterIsRejected() {
    String v2 = "outbound|8000|v2|" + FQDN;
    assertRouteRejected(routes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/").addHeaders(header()))
            .setRoute(RouteAction.newBuilder().setCluster(v2)).build(),
            IstiodShapes.defaultRoute(CLUSTER)),
        FQDN, ROUTES + "[0]", "sends the requests it matches to " + v2 + " and routes[1] sends"
            + " the rest to " + CLUSTER);
  }

  @Test
  void weightedClustersThatSplitTrafficAreRejected() {
    assertRouteRejected(routes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(weight("outbound|8000|v1|" + FQDN, 90))
                .addClusters(weight("outbound|8000|v2|" + FQDN, 10))))
            .build()),
        FQDN, ROUTES + "[0].route.weighted_clusters", "splits traffic between outbound|8000|v1|"
            + FQDN + " (weight 90), outbound|8000|v2|" + FQDN + " (weight 10)");
  }

  @Test
  void aRouteThatDoesNotForwardToAClusterIsRejected() {
    assertRouteRejected(routes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRedirect(RedirectAction.newBuilder().setHostRedirect("example.com")).build()),
        FQDN, ROUTES + "[0].redirect", "is not a route to a cluster");
    assertRouteRejected(routes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setClusterHeader("x-cluster")).build()),
        FQDN, ROUTES + "[0].route.cluster_header", "is not supported");
  }

  @Test
  void perRouteFilterSettingsAreRejected() {
    assertRouteRejected(routes(IstiodShapes.defaultRoute(CLUSTER).toBuilder()
            .putTypedPerFilterConfig("envoy.filters.http.fault",
                Any.pack(HTTPFault.getDefaultInstance())).build()),
        FQDN, ROUTES + "[0].typed_per_filter_config", "sets envoy.filters.http.fault");
  }

  private static Listener listener(HttpConnectionManager.Builder hcm) {
    return IstiodShapes.clientListener(CLIENT_LISTENER, hcm.build());
  }

  private static RouteConfiguration routes(Route... routes) {
    return IstiodShapes.routeConfiguration(
        IstiodShapes.httpbinHost().clearRoutes().addAllRoutes(List.of(routes)).build());
  }

  private static HeaderMatcher header() {
    return HeaderMatcher.newBuilder().setName("x-canary").build();
  }

  private static WeightedCluster.ClusterWeight weight(String cluster, int weight) {
    return WeightedCluster.ClusterWeight.newBuilder().setName(cluster)
        .setWeight(UInt32Value.of(weight)).build();
  }

  private static ConfigSource fileSource(String path) {
    return ConfigSource.newBuilder()
        .setPathConfigSource(PathConfigSource.newBuilder().setPath(path)).build();
  }

  private static void assertListenerRejected(Listener listener, String field, String reason) {
    assertRejected(() -> XdsInterpreter.routeSource(listener), "Listener " + CLIENT_LISTENER,
        field, reason);
  }

  private static void assertRouteRejected(
      RouteConfiguration routes, String host, String field, String reason) {
    assertRejected(() -> XdsInterpreter.clusterName(routes, host, 8000),
        "RouteConfiguration " + CLUSTER, field, reason);
  }
}
