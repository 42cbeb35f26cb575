package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.config.ConfigLoader;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.Because;
import dev.weft.policy.ClientTls;
import dev.weft.policy.EndpointRoute;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.LoadBalancer;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.OutboundDecision;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.ServiceRoute;
import dev.weft.policy.TlsMode;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What Weft's control plane sends compiles back to what the resolver decided: the same modes,
 * TLS and reasons, from YAML policy through {@link XdsTranslator} and {@link XdsInterpreter}.
 */
class XdsInterpreterTest {
  private static final String SERVICES = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      """;
  private static final String FQDN = "httpbin.bar.svc.cluster.local";
  private static final TrustDomain TRUST_DOMAIN = TrustDomain.parse("cluster.local");

  private final WorkloadNode httpbin = node("bar", "httpbin", true, 18080);
  /** A second httpbin endpoint without Weft, which auto mTLS reaches in plaintext. */
  private final WorkloadNode legacy = node("bar", "httpbin-legacy", false, 18081);
  private final WorkloadNode sleep = node("foo", "sleep", true, 18090);
  private final List<WorkloadNode> nodes = List.of(httpbin, legacy, sleep);

  @Test
  void aStrictListenerCompilesToStrictWithTheResolversReasons() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """);

    assertThat(mesh.inbound(80)).isEqualTo(mesh.resolvedInbound(80))
        .extracting(InboundPolicy::mode).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void aDisableListenerCompilesToDisableWithTheResolversReasons() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """);

    assertThat(mesh.inbound(80)).isEqualTo(mesh.resolvedInbound(80))
        .extracting(InboundPolicy::mode).isEqualTo(MtlsMode.DISABLE);
  }

  @Test
  void permissiveForAWeftWorkloadCompilesToPermissive() throws Exception {
    Mesh mesh = mesh("");

    assertThat(mesh.inbound(80)).isEqualTo(mesh.resolvedInbound(80))
        .extracting(InboundPolicy::mode).isEqualTo(MtlsMode.PERMISSIVE);
  }

  @Test
  void aPortLevelOverrideCompilesOnItsPortOnly() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {matchLabels: {app: httpbin}}
          mtls: {mode: STRICT}
          portLevelMtls: {9090: {mode: DISABLE}}
        """);

    assertThat(mesh.inbound(9090)).isEqualTo(mesh.resolvedInbound(9090))
        .extracting(InboundPolicy::mode).isEqualTo(MtlsMode.DISABLE);
    assertThat(mesh.inbound(80)).isEqualTo(mesh.resolvedInbound(80))
        .extracting(InboundPolicy::mode).isEqualTo(MtlsMode.STRICT);
  }

  @Test
  void autoMtlsCompilesToEachEndpointsOwnDecision() throws Exception {
    Mesh mesh = mesh("");

    OutboundRoute route = mesh.outbound("httpbin.bar", 8000);

    assertThat(tlsByPort(route)).isEqualTo(mesh.resolvedTls()).hasSize(2);
    assertThat(tlsByPort(route).get(18080)).isInstanceOfSatisfying(UpstreamTls.MeshMtls.class,
        tls -> assertThat(tls.expected())
            .containsExactly(SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin")));
    assertThat(tlsByPort(route).get(18081)).isInstanceOf(UpstreamTls.Plaintext.class);
  }

  @Test
  void istioMutualCompilesToMeshMtlsExpectingTheServiceIdentities() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        """);

    Map<Integer, UpstreamTls> tls = tlsByPort(mesh.outbound("httpbin.bar", 8000));

    assertThat(tls).isEqualTo(mesh.resolvedTls());
    assertThat(tls.values()).allSatisfy(t -> assertThat(t).isInstanceOfSatisfying(
        UpstreamTls.MeshMtls.class, m -> assertThat(m.expected()).containsExactlyInAnyOrder(
            SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin"),
            SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin-legacy"))));
  }

  @Test
  void istioMutualKeepsTheRulesSubjectAltNamesAndSni() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy:
            tls: {mode: ISTIO_MUTUAL, sni: httpbin.example, subjectAltNames: [spiffe://cluster.local/ns/bar/sa/other]}
        """);

    assertThat(tlsByPort(mesh.outbound("httpbin.bar", 8000))).isEqualTo(mesh.resolvedTls());
  }

  @Test
  void simpleCompilesToOriginatedTlsWithTheSystemRoots() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE, sni: httpbin.example, insecureSkipVerify: true}}
        """);

    Map<Integer, UpstreamTls> tls = tlsByPort(mesh.outbound("httpbin.bar", 8000));

    assertThat(tls).isEqualTo(mesh.resolvedTls());
    assertThat(tls.get(18080)).isInstanceOfSatisfying(UpstreamTls.OriginatedTls.class, simple -> {
      assertThat(simple.mutual()).isFalse();
      assertThat(simple.caCertificates()).isEmpty();
      assertThat(simple.insecureSkipVerify()).isTrue();
    });
  }

  @Test
  void mutualCompilesToOriginatedTlsWithTheRulesFiles() throws Exception {
    Mesh mesh = mesh("""
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

    Map<Integer, UpstreamTls> tls = tlsByPort(mesh.outbound("httpbin.bar", 8000));

    assertThat(tls).isEqualTo(mesh.resolvedTls());
    assertThat(tls.get(18080)).isInstanceOfSatisfying(UpstreamTls.OriginatedTls.class, mutual -> {
      assertThat(mutual.mutual()).isTrue();
      assertThat(mutual.clientCertificate()).contains(Path.of("/etc/client/cert.pem"));
    });
  }

  @Test
  void aRuleThatDisablesTlsCompilesToPlaintextForEveryEndpoint() throws Exception {
    Mesh mesh = mesh("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: DISABLE}}
        """);

    Map<Integer, UpstreamTls> tls = tlsByPort(mesh.outbound("httpbin.bar", 8000));

    assertThat(tls).isEqualTo(mesh.resolvedTls());
    assertThat(tls.values()).allMatch(UpstreamTls.Plaintext.class::isInstance);
  }

  @Test
  void theRouteCarriesTheRulesLoadBalancer() throws Exception {
    for (LoadBalancer balancer : List.of(LoadBalancer.RANDOM, LoadBalancer.LEAST_REQUEST)) {
      Mesh mesh = mesh("""
          apiVersion: networking.istio.io/v1beta1
          kind: DestinationRule
          metadata: {name: httpbin, namespace: bar}
          spec:
            host: httpbin.bar.svc.cluster.local
            trafficPolicy: {loadBalancer: {simple: %s}}
          """.formatted(balancer));

      OutboundRoute route = mesh.outbound("httpbin.bar", 8000);
      assertThat(route.loadBalancer()).isEqualTo(balancer);
      assertThat(route.cluster()).isEqualTo("outbound|8000||" + FQDN);
    }
    assertThat(mesh("").outbound("httpbin.bar", 8000).loadBalancer())
        .as("no rule: istiod's proxyless default").isEqualTo(LoadBalancer.ROUND_ROBIN);
  }

  private static Map<Integer, UpstreamTls> tlsByPort(OutboundRoute route) {
    return route.endpoints().stream()
        .collect(Collectors.toMap(OutboundRoute.Endpoint::port, OutboundRoute.Endpoint::tls));
  }

  private Mesh mesh(String yaml) {
    ResolvedPolicy policy = PolicyResolver.resolve(new ConfigLoader()
            .load(yaml + "\n---\n" + SERVICES, "test.yaml").resources(),
        nodes.stream().map(WorkloadNode::workload).toList());
    return new Mesh(policy, new XdsTranslator(policy, (workload, port) -> nodes.stream()
        .filter(n -> n.workload().equals(workload)).findFirst().flatMap(n -> n.address(port))));
  }

  /** Resolved policy, and the translator serving it. */
  private final class Mesh {
    private final ResolvedPolicy policy;
    private final XdsTranslator translator;

    Mesh(ResolvedPolicy policy, XdsTranslator translator) {
      this.policy = policy;
      this.translator = translator;
    }

    InboundPolicy inbound(int port) throws InvalidResourceException {
      return XdsInterpreter.inbound(resource(httpbin, XdsNames.LISTENER,
          XdsNames.INBOUND_LISTENER_PREFIX + "0.0.0.0:" + port, Listener.class), port);
    }

    InboundPolicy resolvedInbound(int port) {
      InboundDecision decision = policy.inbound(httpbin.workload()).decision(port);
      return new InboundPolicy(port, decision.mode(), strings(decision.because()));
    }

    /** What sleep fetches, piece by piece, to reach {@code target:port}. */
    OutboundRoute outbound(String target, int port) throws InvalidResourceException {
      RouteSource source = XdsInterpreter.routeSource(
          resource(sleep, XdsNames.LISTENER, target + ":" + port, Listener.class));
      RouteConfiguration routes = resource(sleep, XdsNames.ROUTE,
          ((RouteSource.Rds) source).routeConfigName(), RouteConfiguration.class);
      String clusterName = XdsInterpreter.clusterName(routes, target, port);
      ClusterSettings cluster = XdsInterpreter.cluster(
          resource(sleep, XdsNames.CLUSTER, clusterName, Cluster.class), TRUST_DOMAIN);
      List<OutboundRoute.Endpoint> endpoints = XdsInterpreter.endpoints(resource(sleep,
              XdsNames.ENDPOINT, cluster.edsServiceName(), ClusterLoadAssignment.class),
          cluster, TRUST_DOMAIN);
      return XdsInterpreter.compose(target, port, cluster, endpoints);
    }

    /** The TLS the resolver chose for each endpoint of httpbin:8000, by bound port. */
    Map<Integer, UpstreamTls> resolvedTls() {
      ServiceRoute route = policy.outbound(sleep.workload()).route(FQDN, 8000).orElseThrow();
      Map<Integer, UpstreamTls> expected = new HashMap<>();
      for (EndpointRoute endpoint : route.endpoints()) {
        WorkloadNode node = nodes.stream().filter(n -> n.workload().equals(endpoint.workload()))
            .findFirst().orElseThrow();
        expected.put(node.address(endpoint.targetPort()).orElseThrow().port(),
            expected(endpoint, route));
      }
      return expected;
    }

    private <T extends Message> T resource(
        WorkloadNode node, String type, String name, Class<T> kind) {
      Map<String, Message> resources = translator.resources(node, type, List.of(name));
      assertThat(resources).containsOnlyKeys(name);
      return kind.cast(resources.get(name));
    }
  }

  /** The compiled form of the resolver's decision for one endpoint. */
  private static UpstreamTls expected(EndpointRoute endpoint, ServiceRoute route) {
    OutboundDecision decision = endpoint.tls();
    List<String> because = strings(decision.because());
    Optional<ClientTls> rule = decision.settings();
    switch (decision.mode()) {
      case DISABLE:
        return new UpstreamTls.Plaintext(because);
      case ISTIO_MUTUAL:
        Set<SpiffeId> expected = decision.automatic()
            ? Set.of(endpoint.workload().spiffeId(TRUST_DOMAIN))
            : rule.orElseThrow().subjectAltNames().isEmpty()
                ? route.endpoints().stream().map(e -> e.workload().spiffeId(TRUST_DOMAIN))
                    .collect(Collectors.toSet())
                : rule.orElseThrow().subjectAltNames().stream().map(SpiffeId::parse)
                    .collect(Collectors.toSet());
        return new UpstreamTls.MeshMtls(expected, TRUST_DOMAIN, rule.flatMap(ClientTls::sni),
            because);
      default:
        ClientTls tls = rule.orElseThrow();
        return new UpstreamTls.OriginatedTls(decision.mode() == TlsMode.MUTUAL,
            tls.clientCertificate().map(Path::of), tls.privateKey().map(Path::of),
            tls.caCertificates().map(Path::of), tls.subjectAltNames(), tls.sni(),
            tls.insecureSkipVerify(), because);
    }
  }

  private static List<String> strings(List<Because> because) {
    return because.stream().map(Because::toString).toList();
  }

  private static WorkloadNode node(String namespace, String name, boolean weft, int boundPort) {
    return new WorkloadNode(WorkloadNode.nodeId("127.0.0.1", name, namespace), namespace, name,
        Map.of("app", name.startsWith("httpbin") ? "httpbin" : name), name, List.of("127.0.0.1"),
        "Kubernetes", Map.of(), weft ? Optional.of("0.1.0") : Optional.empty(),
        Map.of(80, new HostAndPort("127.0.0.1", boundPort)));
  }
}
