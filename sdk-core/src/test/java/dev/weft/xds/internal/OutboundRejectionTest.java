package dev.weft.xds.internal;

import static dev.weft.xds.internal.IstiodShapes.CLUSTER;
import static dev.weft.xds.internal.IstiodShapes.FQDN;
import static dev.weft.xds.internal.Rejections.assertRejected;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import dev.weft.identity.TrustDomain;
import dev.weft.xds.internal.IstiodShapes.Providers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.LoadBalancingPolicy;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.PathConfigSource;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
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
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every client-side resource Weft cannot apply is rejected, naming the resource and the field. */
class OutboundRejectionTest {
  private static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("cluster.local");
  private static final String CLIENT_LISTENER = "httpbin.bar:8000";
  private static final String HCM = "api_listener.api_listener";
  private static final String ROUTES = "virtual_hosts[0].routes";
  private static final String COMMON = "transport_socket.typed_config.common_tls_context";
  private static final String MESH_VALIDATION =
      COMMON + ".combined_validation_context.default_validation_context";

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

  @Test
  void aClusterNotDiscoveredByEdsIsRejected() {
    assertClusterRejected(IstiodShapes.cluster().setType(Cluster.DiscoveryType.STRICT_DNS),
        "type", "is STRICT_DNS; Weft reads endpoints by EDS only");
    assertClusterRejected(IstiodShapes.cluster().setClusterType(Cluster.CustomClusterType
            .newBuilder().setName("envoy.clusters.aggregate")),
        "cluster_type", "is envoy.clusters.aggregate");
  }

  @Test
  void endpointsFromAnotherConfigSourceAreRejected() {
    Cluster.Builder cluster = IstiodShapes.cluster();
    cluster.getEdsClusterConfigBuilder().setEdsConfig(fileSource("/etc/endpoints.yaml"));

    assertClusterRejected(cluster, "eds_cluster_config.eds_config", "is path_config_source");
  }

  @Test
  void aLoadBalancerWeftDoesNotHaveIsRejected() {
    assertClusterRejected(IstiodShapes.cluster().setLbPolicy(Cluster.LbPolicy.RING_HASH),
        "lb_policy", "is RING_HASH; Weft balances by ROUND_ROBIN, LEAST_REQUEST or RANDOM");
    assertClusterRejected(IstiodShapes.cluster().setLoadBalancingPolicy(
            LoadBalancingPolicy.getDefaultInstance()),
        "load_balancing_policy", "Weft reads lb_policy only");
  }

  @Test
  void transportSocketMatchesAreRejected() {
    assertClusterRejected(IstiodShapes.cluster().addTransportSocketMatches(
            Cluster.TransportSocketMatch.newBuilder().setName("tlsMode-istio")),
        "transport_socket_matches", "is set");
  }

  @Test
  void aKubernetesSecretIsRejectedWithWhatToDoInstead() {
    CommonTlsContext common = CommonTlsContext.newBuilder()
        .addTlsCertificateSdsSecretConfigs(SdsSecretConfig.newBuilder()
            .setName("kubernetes://httpbin-client"))
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setSystemRootCerts(CertificateValidationContext.SystemRootCerts.getDefaultInstance()))
        .build();

    assertClusterRejected(withTls(common), COMMON + ".tls_certificate_sds_secret_configs[0]",
        "names \"kubernetes://httpbin-client\": credentialName needs a Kubernetes secret, which"
            + " Weft cannot read; give the DestinationRule clientCertificate/privateKey/"
            + "caCertificates files");
  }

  @Test
  @SuppressWarnings("deprecation")
  void meshMtlsExpectsExactSpiffeIds() {
    CommonTlsContext.Builder prefix = IstiodShapes.mesh(Providers.BOTH, List.of());
    prefix.getCombinedValidationContextBuilder().getDefaultValidationContextBuilder()
        .addMatchSubjectAltNames(StringMatcher.newBuilder().setPrefix("spiffe://cluster.local/"));
    assertClusterRejected(withTls(prefix.build()), MESH_VALIDATION + ".match_subject_alt_names[0]",
        "is a prefix matcher; Weft matches subject alternative names exactly");

    assertClusterRejected(withTls(IstiodShapes.mesh(Providers.BOTH, List.of("httpbin.bar"))
            .build()), MESH_VALIDATION + ".match_subject_alt_names[0].exact",
        "mesh mTLS expects SPIFFE IDs");
  }

  @Test
  void aClusterCertificateProviderOtherThanDefaultIsRejected() {
    CommonTlsContext.Builder common = IstiodShapes.mesh(Providers.CURRENT, List.of());
    common.setTlsCertificateProviderInstance(IstiodShapes.current("spire", "default"));

    assertClusterRejected(withTls(common.build()),
        COMMON + ".tls_certificate_provider_instance.instance_name", "is \"spire\"");
  }

  @Test
  void tlsMaterialThatIsNotAFileIsRejected() {
    CommonTlsContext common = CommonTlsContext.newBuilder()
        .addTlsCertificates(TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder()
                .setInlineBytes(ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----")))
            .setPrivateKey(file("/etc/client/key.pem")))
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(file("/etc/client/ca.pem")))
        .build();

    assertClusterRejected(withTls(common), COMMON + ".tls_certificates[0].certificate_chain",
        "is inline_bytes; Weft reads TLS material from files");
  }

  @Test
  void originatedTlsMustSayHowToVerifyTheServer() {
    assertClusterRejected(withTls(CommonTlsContext.getDefaultInstance()),
        COMMON + ".validation_context", "is missing; Weft verifies every server");
    assertClusterRejected(withTls(CommonTlsContext.newBuilder()
            .setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(file("/etc/ca.pem"))
                .setSystemRootCerts(CertificateValidationContext.SystemRootCerts
                    .getDefaultInstance()))
            .build()),
        COMMON + ".validation_context.trusted_ca", "is set with system_root_certs");
    assertClusterRejected(withTls(CommonTlsContext.newBuilder()
            .setValidationContext(CertificateValidationContext.getDefaultInstance()).build()),
        COMMON + ".validation_context.trusted_ca", "is missing, and so is system_root_certs");
  }

  @Test
  void tlsSettingsWeftDoesNotHonourAreRejected() {
    UpstreamTlsContext tls = UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(IstiodShapes.mesh(Providers.BOTH, List.of()))
        .setAllowRenegotiation(true)
        .build();

    assertClusterRejected(IstiodShapes.cluster().setTransportSocket(IstiodShapes.tls(tls)),
        "transport_socket.typed_config.allow_renegotiation", "Weft does not support it");
  }

  @Test
  void endpointsOfAnotherClusterAreRejected() {
    ClusterLoadAssignment assignment = IstiodShapes.assignment().toBuilder()
        .setClusterName("outbound|9000||" + FQDN).build();

    assertEndpointsRejected(assignment, "outbound|9000||" + FQDN, "cluster_name",
        "is not " + CLUSTER);
  }

  @Test
  void anEndpointWithoutAnIpOrHostAndPortIsRejected() {
    LbEndpoint.Builder named = IstiodShapes.endpoint("10.1.0.1");
    named.getEndpointBuilder().getAddressBuilder().getSocketAddressBuilder()
        .setNamedPort("http");
    assertEndpointsRejected(IstiodShapes.assignment(named.build()), CLUSTER,
        "endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value",
        "Weft does not resolve named ports");

    LbEndpoint.Builder pipe = IstiodShapes.endpoint("10.1.0.1");
    pipe.getEndpointBuilder().getAddressBuilder().setPipe(Pipe.newBuilder().setPath("/sock"));
    assertEndpointsRejected(IstiodShapes.assignment(pipe.build()), CLUSTER,
        "endpoints[0].lb_endpoints[0].endpoint.address.socket_address", "is missing");
  }

  @Test
  void anEndpointIdentityThatIsNotASpiffeIdIsRejected() {
    LbEndpoint endpoint = IstiodShapes.meshEndpoint("10.1.0.1").setMetadata(
        IstiodShapes.meshEndpoint("10.1.0.1").getMetadata().toBuilder()
            .putFilterMetadata("weft", IstiodShapes.struct("identity", "httpbin"))).build();

    assertEndpointsRejected(IstiodShapes.assignment(endpoint), CLUSTER,
        "endpoints[0].lb_endpoints[0].metadata.filter_metadata.weft.identity",
        "Invalid SPIFFE ID \"httpbin\"");
  }

  @Test
  void aTlsModeThatIsNotAStringIsRejected() {
    LbEndpoint endpoint = IstiodShapes.endpoint("10.1.0.1").setMetadata(Metadata.newBuilder()
        .putFilterMetadata("envoy.transport_socket_match", Struct.newBuilder()
            .putFields("tlsMode", Value.newBuilder().setBoolValue(true).build()).build()))
        .build();

    assertEndpointsRejected(IstiodShapes.assignment(endpoint), CLUSTER,
        "endpoints[0].lb_endpoints[0].metadata.filter_metadata.envoy.transport_socket_match"
            + ".tlsMode", "is not a string");
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

  private static Cluster.Builder withTls(CommonTlsContext common) {
    return IstiodShapes.cluster().setTransportSocket(IstiodShapes.tls(
        UpstreamTlsContext.newBuilder().setCommonTlsContext(common).build()));
  }

  private static ConfigSource fileSource(String path) {
    return ConfigSource.newBuilder()
        .setPathConfigSource(PathConfigSource.newBuilder().setPath(path)).build();
  }

  private static DataSource file(String path) {
    return DataSource.newBuilder().setFilename(path).build();
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

  private static void assertClusterRejected(Cluster.Builder cluster, String field, String reason) {
    assertRejected(() -> XdsInterpreter.cluster(cluster.build(), TRUST_DOMAIN),
        "Cluster " + CLUSTER, field, reason);
  }

  private static void assertEndpointsRejected(
      ClusterLoadAssignment assignment, String name, String field, String reason) {
    assertRejected(() -> XdsInterpreter.endpoints(assignment,
            XdsInterpreter.cluster(IstiodShapes.cluster().build(), TRUST_DOMAIN), TRUST_DOMAIN),
        "ClusterLoadAssignment " + name, field, reason);
  }
}
