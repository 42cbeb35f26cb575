package dev.weft.policy;

import static dev.weft.policy.Fixtures.httpbin;
import static dev.weft.policy.Fixtures.metaAt;
import static dev.weft.policy.Fixtures.pa;
import static dev.weft.policy.MtlsMode.DISABLE;
import static dev.weft.policy.MtlsMode.PERMISSIVE;
import static dev.weft.policy.MtlsMode.STRICT;
import static dev.weft.policy.MtlsMode.UNSET;
import static org.assertj.core.api.Assertions.assertThat;


import java.util.Map;
import org.junit.jupiter.api.Test;

/** PeerAuthentication precedence: mesh, namespace, workload, port; oldest wins at each level. */
class PeerAuthenticationResolutionTest {
  private static final Map<String, String> APP_HTTPBIN = Map.of("app", "httpbin");

  private final Fixtures.Mesh mesh = new Fixtures.Mesh().namespace("bar", true);

  @Test
  void withNoPolicyEveryPortIsPermissive() {
    InboundDecision decision = inbound(mesh.resolve()).decision(80);

    assertThat(decision.mode()).isEqualTo(PERMISSIVE);
    assertThat(decision.because().get(0).reason()).contains("PERMISSIVE by default");
  }

  @Test
  void meshPolicyAppliesToEveryNamespace() {
    mesh.with(pa("istio-system", "default", STRICT));

    assertDecision(80, STRICT, "PeerAuthentication istio-system/default: mesh-level STRICT");
  }

  @Test
  void namespacePolicyOverridesMeshPolicy() {
    mesh.with(pa("istio-system", "default", STRICT), pa("bar", "default", PERMISSIVE));

    InboundDecision decision = inbound(mesh.resolve()).decision(80);
    assertThat(decision.mode()).isEqualTo(PERMISSIVE);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        "PeerAuthentication bar/default: namespace-level PERMISSIVE",
        "PeerAuthentication istio-system/default: mesh-level STRICT");
  }

  @Test
  void workloadPolicyOverridesNamespacePolicy() {
    mesh.with(pa("bar", "default", STRICT),
        pa("bar", "httpbin", APP_HTTPBIN, DISABLE, Map.of()));

    assertDecision(80, DISABLE, "PeerAuthentication bar/httpbin: workload-level DISABLE");
  }

  @Test
  void unsetInheritsAtEveryLevel() {
    mesh.with(pa("istio-system", "default", STRICT), pa("bar", "default", UNSET),
        pa("bar", "httpbin", APP_HTTPBIN, UNSET, Map.of()));

    InboundDecision decision = inbound(mesh.resolve()).decision(80);
    assertThat(decision.mode()).isEqualTo(STRICT);
    assertThat(decision.because()).extracting(Object::toString).containsExactly(
        "PeerAuthentication istio-system/default: mesh-level STRICT",
        "PeerAuthentication bar/default: namespace-level UNSET, inherits",
        "PeerAuthentication bar/httpbin: workload-level UNSET, inherits");
  }

  @Test
  void unsetWithNothingAboveIsPermissive() {
    mesh.with(pa("bar", "default", UNSET));

    assertThat(inbound(mesh.resolve()).decision(80).mode()).isEqualTo(PERMISSIVE);
  }

  @Test
  void theOldestMeshPolicyWinsAndNewerOnesAreIgnoredWithAWarning() {
    mesh.with(pa("istio-system", "first", STRICT), pa("istio-system", "second", DISABLE));

    ResolvedPolicy policy = mesh.resolve();
    assertThat(inbound(policy).decision(80).mode()).isEqualTo(STRICT);
    assertThat(policy.warnings()).containsExactly("PeerAuthentication istio-system/second is "
        + "ignored: the mesh-level policy PeerAuthentication istio-system/first is older");
  }

  @Test
  void theOldestNamespacePolicyWins() {
    mesh.with(pa("bar", "first", DISABLE), pa("bar", "second", STRICT));

    assertThat(inbound(mesh.resolve()).decision(80).mode()).isEqualTo(DISABLE);
  }

  @Test
  void creationTimestampsDecideOldestWhateverTheOrderRead() {
    mesh.with(new PeerAuthentication(metaAt(ResourceKind.PEER_AUTHENTICATION, "bar", "newer",
            "2024-05-01T00:00:00Z"), Map.of(), DISABLE, Map.of()),
        new PeerAuthentication(metaAt(ResourceKind.PEER_AUTHENTICATION, "bar", "older",
            "2023-05-01T00:00:00Z"), Map.of(), STRICT, Map.of()));

    assertThat(inbound(mesh.resolve()).decision(80).mode()).isEqualTo(STRICT);
  }

  @Test
  void equalTimestampsTieByName() {
    mesh.with(new PeerAuthentication(metaAt(ResourceKind.PEER_AUTHENTICATION, "bar", "b",
            "2024-05-01T00:00:00Z"), Map.of(), DISABLE, Map.of()),
        new PeerAuthentication(metaAt(ResourceKind.PEER_AUTHENTICATION, "bar", "a",
            "2024-05-01T00:00:00Z"), Map.of(), STRICT, Map.of()));

    assertThat(inbound(mesh.resolve()).decision(80).mode()).isEqualTo(STRICT);
  }

  @Test
  void theOldestMatchingWorkloadPolicyWinsWholeWithoutMerging() {
    mesh.with(pa("bar", "older", APP_HTTPBIN, STRICT, Map.of()),
        pa("bar", "newer", Map.of("app", "httpbin"), PERMISSIVE, Map.of(80, DISABLE)));

    WorkloadInbound inbound = inbound(mesh.resolve());
    assertThat(inbound.decision(80).mode()).isEqualTo(STRICT);
    assertThat(inbound.overriddenPorts()).isEmpty();
  }

  @Test
  void aSelectorMatchesOnlyWorkloadsWithAllItsLabels() {
    mesh.with(pa("bar", "default", STRICT),
        pa("bar", "other", Map.of("app", "httpbin", "version", "v2"), DISABLE, Map.of()));

    assertThat(inbound(mesh.resolve()).decision(80).mode()).isEqualTo(STRICT);
  }

  @Test
  void aSelectorPolicyInTheRootNamespaceIsIgnored() {
    mesh.with(pa("istio-system", "httpbin", APP_HTTPBIN, STRICT, Map.of()));

    ResolvedPolicy policy = mesh.resolve();
    assertThat(inbound(policy).decision(80).mode()).isEqualTo(PERMISSIVE);
    assertThat(policy.warnings()).singleElement().asString()
        .contains("PeerAuthentication istio-system/httpbin is ignored: a PeerAuthentication "
            + "with a selector in the root namespace istio-system applies to no workload");
  }

  @Test
  void portLevelMtlsIsKeyedByTheContainerPort() {
    mesh.with(pa("bar", "httpbin", APP_HTTPBIN, STRICT, Map.of(80, DISABLE)));

    WorkloadInbound inbound = inbound(mesh.resolve());
    assertThat(inbound.decision(80).mode()).isEqualTo(DISABLE);
    assertThat(inbound.decision(80).because().get(0))
        .hasToString("PeerAuthentication bar/httpbin: port-level DISABLE on port 80");
    assertThat(inbound.decision(8000).mode()).isEqualTo(STRICT);
    assertThat(inbound.overriddenPorts()).containsExactly(80);
  }

  @Test
  void anUnsetPortInheritsTheWorkloadMode() {
    mesh.with(pa("bar", "default", STRICT),
        pa("bar", "httpbin", APP_HTTPBIN, UNSET, Map.of(80, UNSET)));

    assertThat(inbound(mesh.resolve()).decision(80).mode()).isEqualTo(STRICT);
  }

  @Test
  void aWorkloadInTheRootNamespaceGetsOnlyTheMeshPolicy() {
    mesh.namespace("istio-system", true)
        .with(pa("istio-system", "default", STRICT));

    WorkloadInbound inbound = mesh.resolve().inbound(httpbin("istio-system", true));
    assertThat(inbound.decision(80).mode()).isEqualTo(STRICT);
    assertThat(inbound.decision(80).because()).hasSize(1);
  }

  @Test
  void namespaceLevelStopsBeforeWorkloadPolicies() {
    mesh.with(pa("istio-system", "default", DISABLE), pa("bar", "default", UNSET),
        pa("bar", "httpbin", APP_HTTPBIN, STRICT, Map.of()));

    ResolvedPolicy policy = mesh.resolve();
    assertThat(policy.namespaceLevel("bar").mode()).isEqualTo(DISABLE);
    assertThat(policy.namespaceLevel("elsewhere").mode()).isEqualTo(DISABLE);
    assertThat(inbound(policy).decision(80).mode()).isEqualTo(STRICT);
  }

  @Test
  void anUnregisteredWorkloadIsResolvedOnDemand() {
    mesh.with(pa("baz", "default", STRICT));

    assertThat(mesh.resolve().inbound(httpbin("baz", true)).decision(80).mode())
        .isEqualTo(STRICT);
  }

  private static WorkloadInbound inbound(ResolvedPolicy policy) {
    return policy.inbound(httpbin("bar", true));
  }

  private void assertDecision(int port, MtlsMode mode, String because) {
    InboundDecision decision = inbound(mesh.resolve()).decision(port);
    assertThat(decision.mode()).isEqualTo(mode);
    assertThat(decision.because().get(0)).hasToString(because);
  }

}
