package dev.weft.policy;

import static dev.weft.policy.Fixtures.dr;
import static dev.weft.policy.Fixtures.host;
import static dev.weft.policy.Fixtures.noTls;
import static dev.weft.policy.Fixtures.pa;
import static dev.weft.policy.Fixtures.port;
import static dev.weft.policy.Fixtures.portLoadBalancer;
import static dev.weft.policy.Fixtures.sleep;
import static dev.weft.policy.Fixtures.tls;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Auto mTLS: with no DestinationRule TLS, the client chooses per endpoint. */
class AutoMtlsResolutionTest {
  private static final Map<String, String> APP_HTTPBIN = Map.of("app", "httpbin");

  private final Fixtures.Mesh mesh = new Fixtures.Mesh()
      .namespace("foo", true).namespace("bar", true).namespace("legacy", false);

  @ParameterizedTest
  @EnumSource(Compatibility.class)
  void anEndpointWithWeftGetsMtls(Compatibility compatibility) {
    mesh.compatibility(compatibility);

    OutboundDecision decision = decision("bar");
    assertThat(decision.mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
    assertThat(decision.automatic()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Compatibility.class)
  void anEndpointWithoutWeftGetsPlaintext(Compatibility compatibility) {
    mesh.compatibility(compatibility);

    OutboundDecision decision = decision("legacy");
    assertThat(decision.mode()).isEqualTo(TlsMode.DISABLE);
    assertThat(decision.because().get(0).reason())
        .isEqualTo("auto mTLS: httpbin.legacy does not run Weft, so plaintext");
  }

  @ParameterizedTest
  @EnumSource(Compatibility.class)
  void namespaceDisableSendsPlaintextEvenToAStrictWorkload(Compatibility compatibility) {
    // Istio's open gap (istio/istio#56084): the cluster is built without TLS.
    mesh.compatibility(compatibility).with(pa("bar", "default", MtlsMode.DISABLE),
        pa("bar", "httpbin", APP_HTTPBIN, MtlsMode.STRICT, Map.of()));

    OutboundDecision decision = decision("bar");
    assertThat(decision.mode()).isEqualTo(TlsMode.DISABLE);
    assertThat(decision.because().get(0)).hasToString("PeerAuthentication bar/default: "
        + "namespace-level DISABLE in bar: auto mTLS sends plaintext to every endpoint of httpbin");
  }

  @Test
  void meshDisableSendsPlaintext() {
    mesh.with(pa("istio-system", "default", MtlsMode.DISABLE));

    assertThat(decision("bar").mode()).isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void theServicesNamespaceDecidesNotTheClients() {
    mesh.with(pa("foo", "default", MtlsMode.DISABLE));

    assertThat(decision("bar").mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
  }

  @Test
  void latestHonoursAWorkloadLevelDisable() {
    mesh.with(pa("bar", "default", MtlsMode.STRICT),
        pa("bar", "httpbin", APP_HTTPBIN, MtlsMode.DISABLE, Map.of()));

    OutboundDecision decision = decision("bar");
    assertThat(decision.mode()).isEqualTo(TlsMode.DISABLE);
    assertThat(decision.because().get(0)).hasToString("PeerAuthentication bar/httpbin: "
        + "workload-level DISABLE on port 80 of httpbin.bar: auto mTLS sends plaintext");
  }

  @Test
  void istio19IgnoresAWorkloadLevelDisableAndSaysSo() {
    mesh.compatibility(Compatibility.ISTIO_1_9).with(pa("bar", "default", MtlsMode.STRICT),
        pa("bar", "httpbin", APP_HTTPBIN, MtlsMode.DISABLE, Map.of()));

    OutboundDecision decision = decision("bar");
    assertThat(decision.mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
    assertThat(decision.because()).extracting(Object::toString).contains(
        "PeerAuthentication bar/httpbin: workload-level DISABLE is not considered by clients "
            + "under Istio 1.9 rules");
  }

  @Test
  void latestHonoursAPortLevelDisableOnlyForThatPort() {
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, MtlsMode.STRICT, Map.of(80, MtlsMode.DISABLE)));

    assertThat(decision("bar").mode()).isEqualTo(TlsMode.DISABLE);
    mesh.pas.clear();
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, MtlsMode.STRICT, Map.of(81, MtlsMode.DISABLE)));
    assertThat(decision("bar").mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
  }

  @Test
  void disablingAutoMtlsSendsPlaintext() {
    mesh.meshConfig = new MeshConfig("istio-system", mesh.meshConfig.trustDomain(), false,
        Compatibility.LATEST);

    assertThat(decision("bar").because().get(0).reason())
        .isEqualTo("MeshConfig enableAutoMtls is false: plaintext");
    assertThat(decision("bar").mode()).isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void latestLetsATopLevelTlsModeDecideTheEndpointLabelWhenAPortEntryHasNoTls() {
    // Istio's gap: CDS takes the port entry wholesale (no tls: auto), but the endpoint label
    // check reads the top-level mode, so a top-level DISABLE strips the label.
    mesh.with(dr("bar", "httpbin", host("bar"), List.of(), Map.of(),
        tls(TlsMode.DISABLE, portLoadBalancer(8000, LoadBalancer.RANDOM))));

    OutboundDecision decision = decision("bar");
    assertThat(decision.automatic()).isTrue();
    assertThat(decision.mode()).isEqualTo(TlsMode.DISABLE);
    assertThat(decision.because().get(0)).hasToString("DestinationRule bar/httpbin: "
        + "trafficPolicy.tls.mode DISABLE decides the endpoint's auto-mTLS label: plaintext");
  }

  @Test
  void latestLetsATopLevelIstioMutualLabelEvenAnEndpointWithoutWeft() {
    // The endpoint check reads the rule's mode before asking whether the endpoint has a sidecar.
    mesh.with(dr("legacy", "httpbin", host("legacy"), List.of(), Map.of(),
        tls(TlsMode.ISTIO_MUTUAL, portLoadBalancer(8000, LoadBalancer.RANDOM))));

    assertThat(decision("legacy").mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
    mesh.compatibility(Compatibility.ISTIO_1_9);
    assertThat(decision("legacy").mode()).isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void aPortEntryWithTlsDecidesTheLabelForItsPort() {
    mesh.with(dr("bar", "httpbin", host("bar"), List.of(), Map.of(),
        noTls(port(8000, TlsMode.DISABLE))));

    OutboundDecision decision = decision("bar");
    assertThat(decision.automatic()).isFalse();
    assertThat(decision.mode()).isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void aNamedTargetPortResolvesPerWorkload() {
    mesh.services.set(1, new Service(Fixtures.meta(ResourceKind.SERVICE, "bar", "httpbin"),
        APP_HTTPBIN, List.of(new ServicePort("http", 8000, TargetPort.named("http")))));
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, MtlsMode.STRICT, Map.of(80, MtlsMode.DISABLE)));

    EndpointRoute endpoint = mesh.resolve().outbound(sleep("foo", true))
        .route(host("bar"), 8000).orElseThrow().endpoints().get(0);
    assertThat(endpoint.targetPort()).isEqualTo(80);
    assertThat(endpoint.tls().mode()).isEqualTo(TlsMode.DISABLE);
  }

  private OutboundDecision decision(String serverNamespace) {
    return mesh.resolve().outbound(sleep("foo", true))
        .route(host(serverNamespace), 8000).orElseThrow().endpoints().get(0).tls();
  }
}
