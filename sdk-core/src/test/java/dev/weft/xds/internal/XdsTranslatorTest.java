package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.config.ConfigLoader;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.Workload;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class XdsTranslatorTest {
  private static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      """;
  private static final String FQDN = "httpbin.bar.svc.cluster.local";
  private static final String CLUSTER = "outbound|8000||" + FQDN;

  private final WorkloadNode httpbin = node("bar", "httpbin", true, Map.of());
  private final WorkloadNode sleep = node("foo", "sleep", true, Map.of());

  @Test
  void aStrictServerListenerHasOneMtlsChainRequiringAClientCertificate() throws Exception {
    Listener listener = serverListener(translator("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """), httpbin);

    assertThat(listener.getName()).isEqualTo("xds.istio.io/grpc/lds/inbound/0.0.0.0:80");
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(80);
    assertThat(listener.getFilterChainsList()).singleElement().satisfies(chain -> {
      assertThat(chain.getName()).isEqualTo("inbound-mtls");
      assertThat(chain.hasFilterChainMatch()).isFalse();
      DownstreamTlsContext tls =
          chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
      assertThat(chain.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
      assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
      assertBothCertificateProviderGenerations(tls.getCommonTlsContext());
      assertThat(tls.getCommonTlsContext().getCombinedValidationContext()
          .getDefaultValidationContext().getMatchSubjectAltNamesList()).isEmpty();
    });
    assertThat(listener.getTrafficDirectionValue()).isZero();
    assertThat(listener.getListenerFiltersList()).isEmpty();
    assertThat(weftReasons(listener.getMetadata()))
        .containsExactly("PeerAuthentication bar/default: namespace-level STRICT");
  }

  @Test
  void aDisableServerListenerHasOnePlaintextChain() throws Exception {
    Listener listener = serverListener(translator("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """), httpbin);

    assertThat(listener.getFilterChainsList()).singleElement().satisfies(chain -> {
      assertThat(chain.getName()).isEqualTo("inbound-plaintext");
      assertThat(chain.hasTransportSocket()).isFalse();
      HttpConnectionManager hcm =
          chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
      assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).hasNonForwardingAction())
          .isTrue();
      assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName())
          .containsExactly("envoy.filters.http.router");
    });
  }

  @Test
  void permissiveForAWeftWorkloadIsAPlaintextChainAndAnMtlsChainOnOnePort() throws Exception {
    Listener listener = serverListener(translator(""), httpbin);

    assertThat(listener.getFilterChainsList()).extracting(FilterChain::getName)
        .containsExactly("inbound-plaintext", "inbound-mtls");
    assertThat(listener.getFilterChainsList())
        .extracting(c -> c.getFilterChainMatch().getTransportProtocol())
        .containsExactly("raw_buffer", "tls");
  }

  @Test
  void permissiveForAWorkloadWithoutWeftFollowsIstiod() throws Exception {
    XdsTranslator translator = translator("");
    WorkloadNode labelled = node("bar", "httpbin", false,
        Map.of(Workload.TLS_MODE_LABEL, Workload.TLS_MODE_ISTIO));
    WorkloadNode unlabelled = node("bar", "httpbin", false, Map.of());

    assertThat(serverListener(translator, labelled).getFilterChainsList())
        .extracting(FilterChain::getName).containsExactly("inbound-mtls");
    assertThat(serverListener(translator, unlabelled).getFilterChainsList())
        .extracting(FilterChain::getName).containsExactly("inbound-plaintext");
    // Said consistently: the mode the chains express, with istiod's mapping as the reason.
    assertThat(XdsInterpreter.inbound(serverListener(translator, labelled), 80).mode())
        .isEqualTo(dev.weft.policy.MtlsMode.STRICT);
    assertThat(XdsInterpreter.inbound(serverListener(translator, unlabelled), 80).because())
        .first().asString().isEqualTo(
            "PERMISSIVE sent as DISABLE, as istiod sends it to a server without Weft");
  }

  @Test
  void aPortLevelModeAppliesToItsListenerOnly() throws Exception {
    XdsTranslator translator = translator("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {matchLabels: {app: httpbin}}
          mtls: {mode: STRICT}
          portLevelMtls: {9090: {mode: DISABLE}}
        """);

    assertThat(single(translator, httpbin, XdsNames.LISTENER,
        "xds.istio.io/grpc/lds/inbound/0.0.0.0:9090", Listener.class).getFilterChains(0).getName())
        .isEqualTo("inbound-plaintext");
    assertThat(serverListener(translator, httpbin).getFilterChains(0).getName())
        .isEqualTo("inbound-mtls");
  }

  @Test
  void aServerOnABoundAddressGetsItsContainerPortsPolicyUnderTheNameItAskedFor()
      throws Exception {
    XdsTranslator translator = translator("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {matchLabels: {app: httpbin}}
          mtls: {mode: DISABLE}
          portLevelMtls: {80: {mode: STRICT}}
        """);

    // Container port 80 is bound to 127.0.0.1:18080; grpc-java asks by 0.0.0.0:<its port>.
    for (String address : List.of("0.0.0.0:18080", "127.0.0.1:18080")) {
      String name = "xds.istio.io/grpc/lds/inbound/" + address;
      Listener listener = single(translator, httpbin, XdsNames.LISTENER, name, Listener.class);
      assertThat(listener.getName()).isEqualTo(name);
      assertThat(listener.getAddress().getSocketAddress().getAddress() + ":"
          + listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(address);
      assertThat(listener.getFilterChainsList()).extracting(FilterChain::getName)
          .containsExactly("inbound-mtls");
    }
    assertThat(single(translator, httpbin, XdsNames.LISTENER,
        "xds.istio.io/grpc/lds/inbound/10.0.0.1:18080", Listener.class).getFilterChains(0)
        .getName()).as("another address is another port").isEqualTo("inbound-plaintext");
  }

  @Test
  void everySpellingOfAHostGetsAListenerPointingAtOneRoute() throws Exception {
    XdsTranslator translator = translator("");
    WorkloadNode neighbour = node("bar", "sleep", false, Map.of());

    Map<String, Message> listeners = translator.resources(neighbour, XdsNames.LISTENER, List.of(
        "httpbin:8000", "httpbin.bar:8000", "httpbin.bar.svc:8000", FQDN + ":8000",
        "nothing.bar:8000", "httpbin.bar:9999"));

    assertThat(listeners).containsOnlyKeys(
        "httpbin:8000", "httpbin.bar:8000", "httpbin.bar.svc:8000", FQDN + ":8000");
    for (Message listener : listeners.values()) {
      HttpConnectionManager hcm = ((Listener) listener).getApiListener().getApiListener()
          .unpack(HttpConnectionManager.class);
      assertThat(hcm.getRds().getRouteConfigName()).isEqualTo(CLUSTER);
      assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
    }
  }

  @Test
  void aWeftClientIsToldWhichNamesNameNoService() throws Exception {
    XdsTranslator translator = translator("");
    WorkloadNode neighbour = node("bar", "sleep", true, Map.of());

    Map<String, Message> listeners = translator.resources(neighbour, XdsNames.LISTENER,
        List.of("httpbin:8000", "nothing.bar:8000", "httpbin.bar:9999"));

    assertThat(listeners).containsOnlyKeys("httpbin:8000", "nothing.bar:8000", "httpbin.bar:9999");
    assertThat(XdsInterpreter.routeSource((Listener) listeners.get("nothing.bar:8000")))
        .isEqualTo(new RouteSource.Absent("no Service nothing.bar.svc.cluster.local"));
    assertThat(XdsInterpreter.routeSource((Listener) listeners.get("httpbin.bar:9999")))
        .isEqualTo(new RouteSource.Absent("Service " + FQDN + " has no port 9999"));
    assertThat(XdsInterpreter.routeSource((Listener) listeners.get("httpbin:8000")))
        .isInstanceOf(RouteSource.Rds.class);
  }

  @Test
  void theRouteMatchesEverySpellingWithAndWithoutThePort() {
    XdsTranslator translator = translator("");

    RouteConfiguration fromOtherNamespace =
        single(translator, sleep, XdsNames.ROUTE, CLUSTER, RouteConfiguration.class);
    assertThat(fromOtherNamespace.getVirtualHosts(0).getDomainsList()).containsExactlyInAnyOrder(
        FQDN, FQDN + ":8000", "httpbin.bar.svc", "httpbin.bar.svc:8000", "httpbin.bar",
        "httpbin.bar:8000");
    assertThat(fromOtherNamespace.getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
        .isEqualTo(CLUSTER);
    RouteConfiguration fromSameNamespace = single(translator, node("bar", "sleep", true, Map.of()),
        XdsNames.ROUTE, CLUSTER, RouteConfiguration.class);
    assertThat(fromSameNamespace.getVirtualHosts(0).getDomainsList())
        .contains("httpbin", "httpbin:8000");
  }

  @Test
  void anIstioMutualClusterExpectsTheEndpointsSpiffeIds() throws Exception {
    Cluster cluster = single(translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        """), sleep, XdsNames.CLUSTER, CLUSTER, Cluster.class);

    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(cluster.getEdsClusterConfig().getServiceName()).isEqualTo(CLUSTER);
    assertThat(cluster.getTransportSocketMatchesList()).isEmpty();
    UpstreamTlsContext tls =
        cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertBothCertificateProviderGenerations(tls.getCommonTlsContext());
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext()
        .getDefaultValidationContext().getMatchSubjectAltNamesList())
        .extracting(StringMatcher::getExact)
        .containsExactly("spiffe://cluster.local/ns/bar/sa/httpbin");
    assertThat(tls.getSni()).isEmpty();
    assertThat(weftReasons(cluster.getMetadata())).containsExactly(
        "DestinationRule bar/httpbin: trafficPolicy.tls.mode ISTIO_MUTUAL");
  }

  @Test
  void aRulesSubjectAltNamesAndSniReplaceTheDefaults() throws Exception {
    Cluster cluster = single(translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy:
            tls: {mode: ISTIO_MUTUAL, sni: httpbin.example, subjectAltNames: [spiffe://cluster.local/ns/bar/sa/other]}
        """), sleep, XdsNames.CLUSTER, CLUSTER, Cluster.class);

    UpstreamTlsContext tls =
        cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(tls.getSni()).isEqualTo("httpbin.example");
    assertThat(tls.getCommonTlsContext().getCombinedValidationContext()
        .getDefaultValidationContext().getMatchSubjectAltNamesList())
        .extracting(StringMatcher::getExact)
        .containsExactly("spiffe://cluster.local/ns/bar/sa/other");
  }

  @Test
  void simpleAndMutualUseEnvoysFileForms() throws Exception {
    XdsTranslator translator = translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy:
            tls:
              mode: MUTUAL
              clientCertificate: /etc/client/cert.pem
              privateKey: /etc/client/key.pem
              caCertificates: /etc/client/ca.pem
              subjectAltNames: [httpbin.example]
        """);

    CommonTlsContext common = single(translator, sleep, XdsNames.CLUSTER, CLUSTER, Cluster.class)
        .getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class)
        .getCommonTlsContext();
    assertThat(common.hasTlsCertificateProviderInstance()).isFalse();
    assertThat(common.getTlsCertificates(0).getCertificateChain().getFilename())
        .isEqualTo("/etc/client/cert.pem");
    assertThat(common.getTlsCertificates(0).getPrivateKey().getFilename())
        .isEqualTo("/etc/client/key.pem");
    assertThat(common.getValidationContext().getTrustedCa().getFilename())
        .isEqualTo("/etc/client/ca.pem");
    assertThat(common.getValidationContext().getMatchSubjectAltNamesList())
        .extracting(StringMatcher::getExact).containsExactly("httpbin.example");
  }

  @Test
  void simpleWithoutCaCertificatesVerifiesWithSystemRoots() throws Exception {
    CommonTlsContext common = single(translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE}}
        """), sleep, XdsNames.CLUSTER, CLUSTER, Cluster.class)
        .getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class)
        .getCommonTlsContext();

    assertThat(common.getValidationContext().hasSystemRootCerts()).isTrue();
    assertThat(common.getTlsCertificatesCount()).isZero();
  }

  @Test
  void aClusterLeftToAutoMtlsHasNoTransportSocket() {
    Cluster cluster = single(translator(""), sleep, XdsNames.CLUSTER, CLUSTER, Cluster.class);

    assertThat(cluster.hasTransportSocket()).isFalse();
    assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
  }

  @Test
  void randomLoadBalancingReachesOnlyWeftClients() {
    XdsTranslator translator = translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {loadBalancer: {simple: RANDOM}}
        """);

    assertThat(single(translator, sleep, XdsNames.CLUSTER, CLUSTER, Cluster.class).getLbPolicy())
        .isEqualTo(Cluster.LbPolicy.RANDOM);
    assertThat(single(translator, node("foo", "sleep", false, Map.of()), XdsNames.CLUSTER, CLUSTER,
        Cluster.class).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
  }

  @Test
  void endpointsCarryTheAutoMtlsLabelTheirBoundAddressAndIdentity() {
    ClusterLoadAssignment assignment =
        single(translator(""), sleep, XdsNames.ENDPOINT, CLUSTER, ClusterLoadAssignment.class);

    assertThat(assignment.getClusterName()).isEqualTo(CLUSTER);
    LbEndpoint endpoint = assignment.getEndpoints(0).getLbEndpoints(0);
    assertThat(endpoint.getEndpoint().getAddress().getSocketAddress().getAddress())
        .isEqualTo("127.0.0.1");
    assertThat(endpoint.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .isEqualTo(18080);
    assertThat(endpoint.getMetadata().getFilterMetadataOrThrow("envoy.transport_socket_match")
        .getFieldsOrThrow("tlsMode").getStringValue()).isEqualTo("istio");
    assertThat(endpoint.getMetadata().getFilterMetadataOrThrow("weft").getFieldsOrThrow("identity")
        .getStringValue()).isEqualTo("spiffe://cluster.local/ns/bar/sa/httpbin");
    assertThat(assignment.getEndpoints(0).getLoadBalancingWeight().getValue()).isEqualTo(1);
  }

  @Test
  void anEndpointThatTakesPlaintextHasNoLabel() {
    ClusterLoadAssignment assignment = single(translator("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """), sleep, XdsNames.ENDPOINT, CLUSTER, ClusterLoadAssignment.class);

    assertThat(assignment.getEndpoints(0).getLbEndpoints(0).getMetadata().getFilterMetadataMap())
        .doesNotContainKey("envoy.transport_socket_match");
  }

  @Test
  void namesThatNameNothingAreLeftOut() {
    XdsTranslator translator = translator("");

    assertThat(translator.resources(sleep, XdsNames.CLUSTER,
        List.of("outbound|8000|v1|" + FQDN, "outbound|9|" + "|" + FQDN, "garbage"))).isEmpty();
    assertThat(translator.resources(sleep, XdsNames.LISTENER, List.of("no-port"))).isEmpty();
  }

  @Test
  void aWildcardListenerRequestGetsEveryClientListener() {
    assertThat(translator("").resources(sleep, XdsNames.LISTENER, List.of()))
        .containsOnlyKeys(FQDN + ":8000");
  }

  @SuppressWarnings("deprecation")
  private static void assertBothCertificateProviderGenerations(CommonTlsContext common) {
    assertThat(common.getTlsCertificateProviderInstance().getInstanceName()).isEqualTo("default");
    assertThat(common.getTlsCertificateProviderInstance().getCertificateName())
        .isEqualTo("default");
    assertThat(common.getTlsCertificateCertificateProviderInstance().getInstanceName())
        .isEqualTo("default");
    assertThat(common.getCombinedValidationContext().getDefaultValidationContext()
        .getCaCertificateProviderInstance().getCertificateName()).isEqualTo("ROOTCA");
    assertThat(common.getCombinedValidationContext()
        .getValidationContextCertificateProviderInstance().getCertificateName())
        .isEqualTo("ROOTCA");
  }

  private static List<String> weftReasons(io.envoyproxy.envoy.config.core.v3.Metadata metadata) {
    return metadata.getFilterMetadataOrThrow("weft").getFieldsOrThrow("because").getListValue()
        .getValuesList().stream().map(v -> v.getStringValue()).toList();
  }

  private static Listener serverListener(XdsTranslator translator, WorkloadNode node) {
    return single(translator, node, XdsNames.LISTENER,
        "xds.istio.io/grpc/lds/inbound/0.0.0.0:80", Listener.class);
  }

  private static <T extends Message> T single(
      XdsTranslator translator, WorkloadNode node, String type, String name, Class<T> kind) {
    Map<String, Message> resources = translator.resources(node, type, List.of(name));
    assertThat(resources).containsOnlyKeys(name);
    return kind.cast(resources.get(name));
  }

  private XdsTranslator translator(String yaml) {
    MeshResources resources =
        new ConfigLoader().load(yaml + "\n---\n" + SERVICES, "test.yaml").resources();
    List<WorkloadNode> nodes = List.of(httpbin, sleep);
    return new XdsTranslator(
        PolicyResolver.resolve(resources, nodes.stream().map(WorkloadNode::workload).toList()),
        (workload, port) -> nodes.stream().filter(n -> n.workload().equals(workload))
            .findFirst().flatMap(n -> n.address(port)));
  }

  private static WorkloadNode node(
      String namespace, String name, boolean weft, Map<String, String> extraLabels) {
    Map<String, String> labels = new java.util.HashMap<>(extraLabels);
    labels.put("app", name);
    return new WorkloadNode(WorkloadNode.nodeId("127.0.0.1", name, namespace), namespace, name,
        labels, name, List.of("127.0.0.1"), "Kubernetes", Map.of(),
        weft ? Optional.of("0.1.0") : Optional.empty(),
        Map.of(80, new HostAndPort("127.0.0.1", 18080)));
  }
}
