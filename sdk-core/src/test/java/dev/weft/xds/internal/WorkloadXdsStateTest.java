package dev.weft.xds.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.config.ConfigLoader;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.MeshResources;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.WorkloadEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A workload's compiled state, fed in-process by the translator: one path from YAML to decision. */
class WorkloadXdsStateTest {
  private static final TrustDomain TD = TrustDomain.parse("cluster.local");
  private static final String MESH = """
      apiVersion: v1
      kind: Service
      metadata: {name: httpbin, namespace: bar}
      spec:
        selector: {app: httpbin}
        ports: [{name: http, port: 8000, targetPort: 80}]
      ---
      apiVersion: networking.istio.io/v1beta1
      kind: WorkloadEntry
      metadata: {name: httpbin-1, namespace: bar}
      spec:
        address: 127.0.0.1
        serviceAccount: httpbin
        labels: {app: httpbin, security.istio.io/tlsMode: istio}
      """;

  private final WorkloadNode sleep = new WorkloadNode(
      WorkloadNode.nodeId("127.0.0.1", "sleep", "foo"), "foo", "sleep", Map.of("app", "sleep"),
      "sleep", List.of("127.0.0.1"), "Kubernetes", Map.of(), Optional.of("0.1.0"),
      Map.of(80, new HostAndPort("127.0.0.1", 18080)));
  private final WorkloadXdsState state = new WorkloadXdsState(TD);
  private LocalXdsSource source;

  @Test
  void aRouteCompilesToItsEndpointWithMeshMtlsExpectingTheEndpointsIdentity() {
    connect("");

    state.watchOutbound("httpbin.bar", 8000);

    OutboundRoute route = state.snapshot().outbound().get("httpbin.bar:8000");
    assertThat(route.cluster()).isEqualTo("outbound|8000||httpbin.bar.svc.cluster.local");
    assertThat(route.endpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.address()).isEqualTo("127.0.0.1");
      assertThat(endpoint.port()).isEqualTo(80);
      assertThat(endpoint.tls()).isInstanceOfSatisfying(UpstreamTls.MeshMtls.class, mtls ->
          assertThat(mtls.expected()).containsExactly(
              SpiffeId.parse("spiffe://cluster.local/ns/bar/sa/httpbin")));
    });
  }

  @Test
  void aDestinationRuleThatDisablesTlsCompilesToPlaintextNamingTheRule() {
    connect("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: DISABLE}}
        """);

    state.watchOutbound("httpbin.bar.svc.cluster.local", 8000);

    UpstreamTls tls = state.snapshot().outbound().get("httpbin.bar.svc.cluster.local:8000")
        .endpoints().get(0).tls();
    assertThat(tls).isInstanceOf(UpstreamTls.Plaintext.class);
    assertThat(tls.because()).containsExactly(
        "DestinationRule bar/httpbin: trafficPolicy.tls.mode DISABLE");
  }

  @Test
  void aClusterWhoseTlsChangesAloneAppliesToEndpointsAlreadyRead() {
    connect("");
    state.watchOutbound("httpbin.bar", 8000);

    // Only the cluster changes: the endpoints already read must be read again for its TLS.
    XdsTranslator withRule = translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        """);
    Map<String, Any> clusters = new HashMap<>();
    withRule.resources(sleep, XdsNames.CLUSTER,
            List.of("outbound|8000||httpbin.bar.svc.cluster.local"))
        .forEach((name, cluster) -> clusters.put(name, Any.pack(cluster)));

    assertThat(state.apply(XdsNames.CLUSTER, clusters)).isEmpty();
    assertThat(state.snapshot().outbound().get("httpbin.bar:8000").endpoints())
        .singleElement().satisfies(endpoint -> assertThat(endpoint.tls().because())
            .containsExactly("DestinationRule bar/httpbin: trafficPolicy.tls.mode ISTIO_MUTUAL"));
  }

  @Test
  void aServedPortCompilesToItsPolicyWithTheReason() {
    connect("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec: {mtls: {mode: STRICT}}
        """);

    state.watchInbound(80);

    assertThat(state.snapshot().inbound().get(80).mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(state.snapshot().inbound().get(80).reason())
        .isEqualTo("PeerAuthentication foo/default: namespace-level STRICT");
  }

  @Test
  void newPolicyIsPublishedToListenersAsOneNewSnapshot() {
    connect("");
    state.watchInbound(80);
    List<XdsSnapshot> published = new CopyOnWriteArrayList<>();
    state.addListener(published::add);

    source.update(translator("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec: {mtls: {mode: DISABLE}}
        """));

    assertThat(published).singleElement().satisfies(snapshot ->
        assertThat(snapshot.inbound().get(80).mode()).isEqualTo(MtlsMode.DISABLE));
  }

  @Test
  void aServiceWithoutEndpointsHasARouteWithNoEndpoints() {
    connect("""
        apiVersion: v1
        kind: Service
        metadata: {name: empty, namespace: bar}
        spec:
          selector: {app: nobody}
          ports: [{name: http, port: 8000, targetPort: 80}]
        """);

    state.watchOutbound("empty.bar", 8000);

    assertThat(state.snapshot().outbound().get("empty.bar:8000").endpoints()).isEmpty();
  }

  @Test
  void aHostThatDoesNotExistHasNoRoute() {
    connect("");

    state.watchOutbound("nothing.bar", 8000);

    assertThat(state.snapshot().outbound()).doesNotContainKey("nothing.bar:8000");
  }

  @Test
  void aClusterWeftCannotApplyKeepsTheLastGoodOne() {
    connect("");
    state.watchOutbound("httpbin.bar", 8000);
    OutboundRoute before = state.snapshot().outbound().get("httpbin.bar:8000");

    source.update(translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE, credentialName: httpbin-ca}}
        """));

    assertThat(state.snapshot().outbound().get("httpbin.bar:8000")).isEqualTo(before);
    assertThat(before.endpoints().get(0).tls()).isInstanceOf(UpstreamTls.MeshMtls.class);
  }

  @Test
  void whenTheClusterCanBeAppliedAgainItsEndpointsFollow() {
    connect("");
    state.watchOutbound("httpbin.bar", 8000);
    source.update(translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: SIMPLE, credentialName: httpbin-ca}}
        """));

    source.update(translator("""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: DISABLE}}
        """));

    assertThat(state.snapshot().outbound().get("httpbin.bar:8000").endpoints().get(0).tls())
        .isInstanceOf(UpstreamTls.Plaintext.class);
  }

  private void connect(String yaml) {
    source = new LocalXdsSource(sleep, translator(yaml), state);
    state.subscribeThrough(source);
  }

  private XdsTranslator translator(String yaml) {
    MeshResources resources = new ConfigLoader().load(yaml + "\n---\n" + MESH, "test.yaml")
        .resources();
    WorkloadEntry httpbin = resources.workloadEntries().get(0);
    return new XdsTranslator(
        PolicyResolver.resolve(resources, List.of(sleep.workload())),
        (workload, port) -> workload.equals(httpbin.toWorkload())
            ? Optional.of(new HostAndPort(httpbin.address(), port))
            : sleep.workload().equals(workload) ? sleep.address(port) : Optional.empty());
  }
}
