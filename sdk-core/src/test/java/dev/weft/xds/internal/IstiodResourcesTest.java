package dev.weft.xds.internal;

import static dev.weft.xds.internal.IstiodShapes.CLUSTER;
import static dev.weft.xds.internal.IstiodShapes.FQDN;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.weft.mesh.InboundPolicy;
import dev.weft.policy.MtlsMode;
import dev.weft.xds.internal.IstiodShapes.Providers;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What istiod sends proxyless gRPC, written by hand, compiles with reasons that say so. */
class IstiodResourcesTest {
  @ParameterizedTest
  @EnumSource(Providers.class)
  void anIstiodMtlsChainIsStrictInEitherGenerationOfProviderFields(Providers providers)
      throws Exception {
    InboundPolicy policy = XdsInterpreter.inbound(
        IstiodShapes.serverListener(IstiodShapes.mtlsChain(providers)), 80);

    assertThat(policy.port()).isEqualTo(80);
    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.because()).containsExactly(
        "control plane: inbound-mtls chain (STRICT)",
        "istiod sends PERMISSIVE as mTLS to a proxyless server labelled"
            + " security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE");
  }

  @Test
  void anIstiodPlaintextChainIsDisableAndSaysIstiodSendsPermissiveAsPlaintext() throws Exception {
    InboundPolicy policy =
        XdsInterpreter.inbound(IstiodShapes.serverListener(IstiodShapes.plaintextChain()), 80);

    assertThat(policy.mode()).isEqualTo(MtlsMode.DISABLE);
    assertThat(policy.because()).containsExactly(
        "control plane: inbound-plaintext chain (DISABLE)",
        "istiod sends PERMISSIVE as plaintext to a proxyless server that is not labelled"
            + " security.istio.io/tlsMode=istio, so the policy may be PERMISSIVE");
  }

  @Test
  void twoChainsSplitByTransportProtocolWithoutReasonsArePermissive() throws Exception {
    InboundPolicy policy = XdsInterpreter.inbound(IstiodShapes.serverListener(
        IstiodShapes.chain("inbound-mtls")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
            .setTransportSocket(IstiodShapes.tls(IstiodShapes.serverTls(Providers.BOTH).build()))
            .build(),
        IstiodShapes.chain("inbound-plaintext")
            .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer"))
            .build()), 80);

    assertThat(policy.mode()).isEqualTo(MtlsMode.PERMISSIVE);
    assertThat(policy.because())
        .containsExactly("control plane: inbound-mtls and inbound-plaintext chains (PERMISSIVE)");
  }

  @Test
  void anIstiodClientListenerNamesItsRouteConfiguration() throws Exception {
    assertThat(XdsInterpreter.routeSource(IstiodShapes.clientListener("httpbin.bar:8000")))
        .isEqualTo(new RouteSource.Rds(CLUSTER));
  }

  @Test
  void anInlineRouteConfigurationIsHandedBack() throws Exception {
    var routes = IstiodShapes.routeConfiguration(IstiodShapes.httpbinHost().build());

    assertThat(XdsInterpreter.routeSource(IstiodShapes.clientListener("httpbin.bar:8000",
        IstiodShapes.clientHcm().setRouteConfig(routes).build())))
        .isEqualTo(new RouteSource.Inline(routes));
  }

  @Test
  void anOptionalFilterWeftDoesNotKnowIsSkipped() throws Exception {
    var hcm = IstiodShapes.clientHcm().addHttpFilters(0, HttpFilter.newBuilder()
        .setName("envoy.filters.http.stateful_session").setIsOptional(true)
        .setTypedConfig(Any.pack(UInt32Value.of(1))));

    assertThat(XdsInterpreter.routeSource(IstiodShapes.clientListener("a:1", hcm.build())))
        .isEqualTo(new RouteSource.Rds(CLUSTER));
  }

  @Test
  void istiodsDefaultRouteSendsTheHostToItsCluster() throws Exception {
    var routes = IstiodShapes.routeConfiguration(IstiodShapes.httpbinHost().build());

    assertThat(XdsInterpreter.clusterName(routes, "httpbin", 8000)).isEqualTo(CLUSTER);
    assertThat(XdsInterpreter.clusterName(routes, "10.0.0.1", 8000)).isEqualTo(CLUSTER);
  }

  @Test
  void earlierNarrowerRoutesToTheSameClusterChangeNothing() throws Exception {
    var routes = IstiodShapes.routeConfiguration(IstiodShapes.httpbinHost().clearRoutes()
        .addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/")
                .addHeaders(HeaderMatcher.newBuilder().setName("x-canary")))
            .setRoute(RouteAction.newBuilder().setCluster(CLUSTER)))
        .addRoutes(IstiodShapes.defaultRoute(CLUSTER))
        .addRoutes(IstiodShapes.defaultRoute("outbound|8000|unreachable|" + FQDN))
        .build());

    assertThat(XdsInterpreter.clusterName(routes, FQDN, 8000)).isEqualTo(CLUSTER);
  }

  @Test
  void weightedClustersWithOneCarryingAllTrafficGoToThatCluster() throws Exception {
    String v2 = "outbound|8000|v2|" + FQDN;
    var routes = IstiodShapes.routeConfiguration(IstiodShapes.httpbinHost().clearRoutes()
        .addRoutes(Route.newBuilder()
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                .addClusters(weight("outbound|8000|v1|" + FQDN, 0))
                .addClusters(weight(v2, 100)))))
        .build());

    assertThat(XdsInterpreter.clusterName(routes, FQDN, 8000)).isEqualTo(v2);
  }

  private static WeightedCluster.ClusterWeight weight(String cluster, int weight) {
    return WeightedCluster.ClusterWeight.newBuilder().setName(cluster)
        .setWeight(UInt32Value.of(weight)).build();
  }
}
