package dev.weft.xds.internal;

import static dev.weft.xds.internal.IstiodShapes.CLUSTER;
import static dev.weft.xds.internal.IstiodShapes.FQDN;
import static dev.weft.xds.internal.IstiodShapes.HTTPBIN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.LoadBalancer;
import dev.weft.policy.MtlsMode;
import dev.weft.xds.internal.IstiodShapes.Providers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What istiod sends proxyless gRPC, written by hand, compiles with reasons that say so. */
class IstiodResourcesTest {
  private static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("cluster.local");

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

  @ParameterizedTest
  @EnumSource(Providers.class)
  void anIstioMutualClusterExpectsItsSpiffeMatchersInEitherGeneration(Providers providers)
      throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(IstiodShapes.istioMutualCluster(
        providers, List.of(HTTPBIN_ID)).build(), TRUST_DOMAIN);

    assertThat(cluster.tls()).contains(new UpstreamTls.MeshMtls(
        Set.of(SpiffeId.parse(HTTPBIN_ID)), TRUST_DOMAIN, Optional.empty(), List.of(
            "control plane: cluster transport socket with the mesh certificate provider"
                + " (ISTIO_MUTUAL)")));
    assertThat(cluster.loadBalancer()).isEqualTo(LoadBalancer.ROUND_ROBIN);
    assertThat(cluster.edsServiceName()).isEqualTo(CLUSTER);
  }

  @Test
  void anIstioMutualClusterWithoutMatchersExpectsAnyIdentityOfTheTrustDomain() throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(
        IstiodShapes.istioMutualCluster(Providers.DEPRECATED, List.of()).build(), TRUST_DOMAIN);

    assertThat(cluster.tls()).hasValueSatisfying(tls -> {
      assertThat(tls).isInstanceOf(UpstreamTls.MeshMtls.class);
      assertThat(((UpstreamTls.MeshMtls) tls).expected()).isEmpty();
    });
  }

  @Test
  void aClusterWithoutAServiceNameReadsEndpointsUnderItsOwnName() throws Exception {
    Cluster cluster = IstiodShapes.cluster()
        .setEdsClusterConfig(IstiodShapes.cluster().getEdsClusterConfig().toBuilder()
            .clearServiceName())
        .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
        .build();

    ClusterSettings settings = XdsInterpreter.cluster(cluster, TRUST_DOMAIN);
    assertThat(settings.edsServiceName()).isEqualTo(CLUSTER);
    assertThat(settings.loadBalancer()).isEqualTo(LoadBalancer.LEAST_REQUEST);
    assertThat(settings.tls()).isEmpty();
  }

  @Test
  void autoMtlsGivesLabelledEndpointsMeshMtlsAndOthersPlaintext() throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(IstiodShapes.cluster().build(), TRUST_DOMAIN);

    List<OutboundRoute.Endpoint> endpoints = XdsInterpreter.endpoints(IstiodShapes.assignment(
        IstiodShapes.meshEndpoint("10.1.0.1").build(),
        IstiodShapes.endpoint("10.1.0.2").build()), cluster, TRUST_DOMAIN);

    assertThat(endpoints).containsExactly(
        new OutboundRoute.Endpoint("10.1.0.1", 80, new UpstreamTls.MeshMtls(Set.of(), TRUST_DOMAIN,
            Optional.empty(),
            List.of("control plane: endpoint labelled tlsMode=istio (auto mTLS)"))),
        new OutboundRoute.Endpoint("10.1.0.2", 80, new UpstreamTls.Plaintext(List.of(
            "control plane: endpoint has no tlsMode=istio label: plaintext"))));
  }

  @Test
  void theClustersTlsAppliesToEveryEndpointWhateverItsLabel() throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(IstiodShapes.istioMutualCluster(
        Providers.BOTH, List.of(HTTPBIN_ID)).build(), TRUST_DOMAIN);

    List<OutboundRoute.Endpoint> endpoints = XdsInterpreter.endpoints(IstiodShapes.assignment(
        IstiodShapes.meshEndpoint("10.1.0.1").build(),
        IstiodShapes.endpoint("10.1.0.2").build()), cluster, TRUST_DOMAIN);

    assertThat(endpoints).extracting(OutboundRoute.Endpoint::tls)
        .containsOnly(cluster.tls().orElseThrow());
  }

  @Test
  void onlyHealthyAndUnknownEndpointsAreUsed() throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(IstiodShapes.cluster().build(), TRUST_DOMAIN);

    List<OutboundRoute.Endpoint> endpoints = XdsInterpreter.endpoints(IstiodShapes.assignment(
        IstiodShapes.endpoint("10.1.0.1").build(),
        IstiodShapes.endpoint("10.1.0.2").setHealthStatus(HealthStatus.UNKNOWN).build(),
        IstiodShapes.endpoint("10.1.0.3").setHealthStatus(HealthStatus.UNHEALTHY).build(),
        IstiodShapes.endpoint("10.1.0.4").setHealthStatus(HealthStatus.DRAINING).build()),
        cluster, TRUST_DOMAIN);

    assertThat(endpoints).extracting(OutboundRoute.Endpoint::address)
        .containsExactly("10.1.0.1", "10.1.0.2");
  }

  @Test
  void aLessPreferredPriorityIsUsedOnlyWhenNoPreferredEndpointIsUsable() throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(IstiodShapes.cluster().build(), TRUST_DOMAIN);
    ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder()
        .setClusterName(CLUSTER)
        .addEndpoints(LocalityLbEndpoints.newBuilder().setPriority(1)
            .addLbEndpoints(IstiodShapes.endpoint("10.2.0.1")))
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .addLbEndpoints(IstiodShapes.endpoint("10.1.0.1")));

    assertThat(XdsInterpreter.endpoints(assignment.build(), cluster, TRUST_DOMAIN))
        .extracting(OutboundRoute.Endpoint::address).containsExactly("10.1.0.1");
    assignment.getEndpointsBuilder(1).getLbEndpointsBuilder(0)
        .setHealthStatus(HealthStatus.UNHEALTHY);
    assertThat(XdsInterpreter.endpoints(assignment.build(), cluster, TRUST_DOMAIN))
        .extracting(OutboundRoute.Endpoint::address).containsExactly("10.2.0.1");
  }

  @Test
  void composeNamesTheClusterAndItsLoadBalancer() throws Exception {
    ClusterSettings cluster = XdsInterpreter.cluster(
        IstiodShapes.cluster().setLbPolicy(Cluster.LbPolicy.RANDOM).build(), TRUST_DOMAIN);
    List<OutboundRoute.Endpoint> endpoints = XdsInterpreter.endpoints(
        IstiodShapes.assignment(IstiodShapes.endpoint("10.1.0.1").build()), cluster, TRUST_DOMAIN);

    assertThat(XdsInterpreter.compose("httpbin.bar", 8000, cluster, endpoints)).isEqualTo(
        new OutboundRoute("httpbin.bar", 8000, CLUSTER, LoadBalancer.RANDOM, endpoints));
  }

  private static WeightedCluster.ClusterWeight weight(String cluster, int weight) {
    return WeightedCluster.ClusterWeight.newBuilder().setName(cluster)
        .setWeight(UInt32Value.of(weight)).build();
  }
}
