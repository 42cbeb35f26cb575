package dev.weft.policy;

import static dev.weft.policy.Fixtures.dr;
import static dev.weft.policy.Fixtures.host;
import static dev.weft.policy.Fixtures.pa;
import static dev.weft.policy.Fixtures.tls;
import static dev.weft.policy.MtlsMode.DISABLE;
import static dev.weft.policy.MtlsMode.PERMISSIVE;
import static dev.weft.policy.MtlsMode.STRICT;
import static dev.weft.policy.MtlsMode.UNSET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.WorkloadPolicy.AuthoredDestinationRule;
import dev.weft.policy.WorkloadPolicy.AuthoredPeerAuthentication;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The policy a workload authored, weighed against the configuration: a selector policy beats
 * it, it beats namespace and mesh policy, and {@code @RequireMutualTls} is a floor under all.
 */
class AuthoredPolicyResolutionTest {
  private static final Map<String, String> APP_HTTPBIN = Map.of("app", "httpbin");
  private static final String PA_ORIGIN = "@PeerAuthentication on com.example.Httpbin";
  private static final String FLOOR = "@RequireMutualTls on com.example.App";
  private static final String DR_ORIGIN = "@DestinationRule on com.example.Sleep";

  private final Fixtures.Mesh mesh =
      new Fixtures.Mesh().namespace("foo", true).namespace("bar", true);

  @Test
  void theAnnotationOverridesTheNamespacePolicy() {
    mesh.with(pa("bar", "default", STRICT)).authored("bar", "httpbin", authored(DISABLE));

    InboundDecision decision = httpbinInbound().decision(80);
    assertThat(decision.mode()).isEqualTo(DISABLE);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        PA_ORIGIN + ": workload-level DISABLE",
        "PeerAuthentication bar/default: namespace-level STRICT");
  }

  @Test
  void theAnnotationOverridesTheMeshPolicy() {
    mesh.with(pa("istio-system", "default", PERMISSIVE))
        .authored("bar", "httpbin", authored(STRICT));

    InboundDecision decision = httpbinInbound().decision(80);
    assertThat(decision.mode()).isEqualTo(STRICT);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        PA_ORIGIN + ": workload-level STRICT",
        "PeerAuthentication istio-system/default: mesh-level PERMISSIVE");
  }

  @Test
  void anUnsetAnnotationInheritsTheNamespacePolicy() {
    mesh.with(pa("bar", "default", STRICT)).authored("bar", "httpbin", authored(UNSET));

    InboundDecision decision = httpbinInbound().decision(80);
    assertThat(decision.mode()).isEqualTo(STRICT);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        "PeerAuthentication bar/default: namespace-level STRICT",
        PA_ORIGIN + ": workload-level UNSET, inherits");
  }

  @Test
  void aSelectorPolicyOverridesTheAnnotationPortsIncluded() {
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, PERMISSIVE, Map.of()))
        .authored("bar", "httpbin", authored(STRICT, Map.of(9090, DISABLE)));

    ResolvedPolicy policy = mesh.resolve();
    WorkloadInbound inbound = policy.inbound(mesh.workload("bar", "httpbin"));
    assertThat(inbound.decision(80).mode()).isEqualTo(PERMISSIVE);
    assertThat(inbound.decision(9090).mode()).isEqualTo(PERMISSIVE);
    assertThat(inbound.overriddenPorts()).isEmpty();
    assertThat(inbound.decision(80).because()).extracting(Object::toString).containsExactly(
        "PeerAuthentication bar/httpbin: workload-level PERMISSIVE",
        PA_ORIGIN + ": STRICT is overridden by PeerAuthentication bar/httpbin, which selects"
            + " httpbin.bar");
    assertThat(policy.warnings()).contains(PA_ORIGIN + " of httpbin.bar is overridden by"
        + " PeerAuthentication bar/httpbin, which selects the workload");
  }

  @Test
  void portLevelEntriesOfTheAnnotationApplyToContainerPorts() {
    mesh.with(pa("bar", "default", PERMISSIVE)).authored("bar", "httpbin",
        authored(STRICT, Map.of(80, DISABLE, 9090, UNSET)));

    WorkloadInbound inbound = httpbinInbound();
    assertThat(inbound.decision(80).mode()).isEqualTo(DISABLE);
    assertThat(inbound.decision(80).because().get(0))
        .hasToString(PA_ORIGIN + ": port-level DISABLE on port 80");
    assertThat(inbound.decision(9090).mode()).isEqualTo(STRICT);
    assertThat(inbound.decision(9090).because()).extracting(Object::toString)
        .endsWith(PA_ORIGIN + ": port 9090 UNSET, inherits STRICT");
    assertThat(inbound.decision(8080).mode()).isEqualTo(STRICT);
  }

  @Test
  void requireMutualTlsRaisesAControlPlaneDisableToStrictSayingBoth() {
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, DISABLE, Map.of()))
        .authored("bar", "httpbin", floor());

    InboundDecision decision = httpbinInbound().decision(80);
    assertThat(decision.mode()).isEqualTo(STRICT);
    assertThat(decision.because().get(0)).hasToString("PeerAuthentication bar/httpbin:"
        + " workload-level DISABLE, raised to STRICT by " + FLOOR);
  }

  @Test
  void requireMutualTlsRaisesTheDefaultAndEveryPortLevelMode() {
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, UNSET, Map.of(9090, PERMISSIVE, 9091, STRICT)))
        .authored("bar", "httpbin", floor());

    WorkloadInbound inbound = httpbinInbound();
    assertThat(inbound.decision(80).mode()).isEqualTo(STRICT);
    assertThat(inbound.decision(80).because().get(0)).hasToString("no PeerAuthentication sets"
        + " a mode: PERMISSIVE by default, raised to STRICT by " + FLOOR);
    assertThat(inbound.decision(9090).because().get(0)).hasToString("PeerAuthentication"
        + " bar/httpbin: port-level PERMISSIVE on port 9090, raised to STRICT by " + FLOOR);
    assertThat(inbound.decision(9091).because().get(0))
        .hasToString("PeerAuthentication bar/httpbin: port-level STRICT on port 9091");
  }

  @Test
  void requireMutualTlsRaisesTheWorkloadsOwnAnnotationToo() {
    mesh.authored("bar", "httpbin", new WorkloadPolicy(
        Optional.of(new AuthoredPeerAuthentication(PERMISSIVE, Map.of(), PA_ORIGIN)), List.of(),
        Optional.of(FLOOR)));

    assertThat(httpbinInbound().decision(80).because().get(0))
        .hasToString(PA_ORIGIN + ": workload-level PERMISSIVE, raised to STRICT by " + FLOOR);
  }

  @ParameterizedTest
  @EnumSource(Compatibility.class)
  void anAutoMtlsClientSendsMtlsToAWorkloadThatRequiresIt(Compatibility compatibility) {
    mesh.compatibility(compatibility)
        .with(pa("bar", "httpbin", APP_HTTPBIN, DISABLE, Map.of()))
        .authored("bar", "httpbin", floor());

    OutboundDecision decision = sleepToHttpbin(mesh.workload("foo", "sleep"));
    assertThat(decision.mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
    assertThat(decision.automatic()).isTrue();
  }

  @Test
  void anAutoMtlsClientSendsMtlsToAWorkloadThatRequiresItEvenUnderANamespaceDisable() {
    // Istio's gap (a namespace DISABLE builds the cluster without TLS) would send plaintext.
    mesh.with(pa("bar", "default", DISABLE)).authored("bar", "httpbin", floor());

    OutboundDecision decision = sleepToHttpbin(mesh.workload("foo", "sleep"));
    assertThat(decision.mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        "auto mTLS: httpbin.bar requires mutual TLS (" + FLOOR + "), so mTLS",
        "PeerAuthentication bar/default: namespace-level DISABLE in bar would send plaintext");
  }

  @Test
  void theClientsRuleBeatsTheNamespaceRulesForItsHostForThatClientOnly() {
    mesh.with(dr("foo", "client-side", host("bar"), TlsMode.DISABLE),
        dr("istio-system", "mesh-wide", "*.local", List.of(), Map.of(), tls(TlsMode.SIMPLE)));
    Workload sleep = mesh.workload("foo", "sleep").withAuthoredPolicy(rule(host("bar")));

    OutboundDecision decision = sleepToHttpbin(sleep);
    assertThat(decision.mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
    assertThat(decision.automatic()).isFalse();
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        DR_ORIGIN + ": host " + host("bar") + ", tls.mode ISTIO_MUTUAL",
        "DestinationRule foo/client-side: would apply, but the rule the workload authored takes"
            + " precedence");
    assertThat(sleepToHttpbin(mesh.workload("foo", "sleep")).mode()).isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void theClientsRuleBeatsTheRootNamespaceRule() {
    mesh.with(dr("istio-system", "mesh-wide", "*.local", List.of(), Map.of(),
        tls(TlsMode.DISABLE)));

    assertThat(sleepToHttpbin(mesh.workload("foo", "sleep").withAuthoredPolicy(
        rule("httpbin.bar.svc.cluster.local"))).mode()).isEqualTo(TlsMode.ISTIO_MUTUAL);
  }

  @Test
  void aShortHostIsRelativeToTheClientsNamespace() {
    Workload client = mesh.workload("bar", "sleep").withAuthoredPolicy(new WorkloadPolicy(
        Optional.empty(), List.of(new AuthoredDestinationRule("httpbin",
            ClientTls.of(TlsMode.DISABLE), DR_ORIGIN)), Optional.empty()));

    assertThat(mesh.resolve().outbound(client).route(host("bar"), 8000).orElseThrow()
        .endpoints().get(0).tls().mode()).isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void aSelectorRuleForTheSameHostOverridesTheClientsRule() {
    mesh.with(dr("foo", "for-sleep", host("bar"), List.of(), Map.of("app", "sleep"),
        tls(TlsMode.SIMPLE)));
    mesh.authored("foo", "sleep", rule(host("bar")));

    ResolvedPolicy policy = mesh.resolve();
    OutboundDecision decision = policy.outbound(mesh.workload("foo", "sleep"))
        .route(host("bar"), 8000).orElseThrow().endpoints().get(0).tls();
    assertThat(decision.mode()).isEqualTo(TlsMode.SIMPLE);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        "DestinationRule foo/for-sleep: trafficPolicy.tls.mode SIMPLE",
        DR_ORIGIN + ": host " + host("bar") + " is overridden by DestinationRule foo/for-sleep,"
            + " which selects sleep.foo");
    assertThat(policy.warnings()).contains(DR_ORIGIN + " of sleep.foo for host " + host("bar")
        + " is overridden by DestinationRule foo/for-sleep, which selects the workload");
  }

  @Test
  void aRuleForAHostNoServiceHasIsWarnedAbout() {
    mesh.authored("foo", "sleep", rule("nothing.bar.svc.cluster.local"));

    assertThat(mesh.resolve().warnings()).contains(DR_ORIGIN + " of sleep.foo has no effect:"
        + " its host nothing.bar.svc.cluster.local matches no Service");
  }

  private WorkloadInbound httpbinInbound() {
    return mesh.resolve().inbound(mesh.workload("bar", "httpbin"));
  }

  private OutboundDecision sleepToHttpbin(Workload client) {
    return mesh.resolve().outbound(client).route(host("bar"), 8000).orElseThrow()
        .endpoints().get(0).tls();
  }

  private static WorkloadPolicy authored(MtlsMode mode) {
    return authored(mode, Map.of());
  }

  private static WorkloadPolicy authored(MtlsMode mode, Map<Integer, MtlsMode> ports) {
    return new WorkloadPolicy(Optional.of(new AuthoredPeerAuthentication(mode, ports, PA_ORIGIN)),
        List.of(), Optional.empty());
  }

  private static WorkloadPolicy floor() {
    return new WorkloadPolicy(Optional.empty(), List.of(), Optional.of(FLOOR));
  }

  private static WorkloadPolicy rule(String host) {
    return new WorkloadPolicy(Optional.empty(), List.of(new AuthoredDestinationRule(host,
        ClientTls.of(TlsMode.ISTIO_MUTUAL), DR_ORIGIN)), Optional.empty());
  }
}
