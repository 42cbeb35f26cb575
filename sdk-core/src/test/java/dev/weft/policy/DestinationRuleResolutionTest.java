package dev.weft.policy;

import static dev.weft.policy.Fixtures.dr;
import static dev.weft.policy.Fixtures.host;
import static dev.weft.policy.Fixtures.noTls;
import static dev.weft.policy.Fixtures.port;
import static dev.weft.policy.Fixtures.portLoadBalancer;
import static dev.weft.policy.Fixtures.sleep;
import static dev.weft.policy.Fixtures.tls;
import static dev.weft.policy.TlsMode.DISABLE;
import static dev.weft.policy.TlsMode.ISTIO_MUTUAL;
import static dev.weft.policy.TlsMode.SIMPLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which DestinationRule a client applies, and what it sets for a Service port. */
class DestinationRuleResolutionTest {
  private final Fixtures.Mesh mesh =
      new Fixtures.Mesh().namespace("foo", true).namespace("bar", true);

  @Test
  void aRuleInTheClientsNamespaceBeatsOneInTheServicesNamespaceWithoutMerging() {
    mesh.with(dr("bar", "server-side", host("bar"), DISABLE),
        dr("foo", "client-side", host("bar"), SIMPLE));

    assertThat(ruleFor("foo")).hasValueSatisfying(
        r -> assertThat(r.rules()).extracting(rule -> rule.meta().name())
            .containsExactly("client-side"));
    assertThat(tlsFor("foo")).isEqualTo(SIMPLE);
    assertThat(tlsFor("bar")).isEqualTo(DISABLE);
  }

  @Test
  void aRuleInTheServicesNamespaceAppliesToOtherNamespacesByDefault() {
    mesh.with(dr("bar", "httpbin", host("bar"), DISABLE));

    assertThat(tlsFor("foo")).isEqualTo(DISABLE);
  }

  @Test
  void aRuleExportedOnlyToItsOwnNamespaceIsInvisibleToOthers() {
    mesh.with(dr("bar", "private", host("bar"), List.of("."), Map.of(), tls(DISABLE)),
        dr("istio-system", "mesh-wide", "*.local", List.of(), Map.of(), tls(SIMPLE)));

    assertThat(tlsFor("bar")).isEqualTo(DISABLE);
    assertThat(tlsFor("foo")).isEqualTo(SIMPLE);
  }

  @Test
  void aRuleExportedToNamedNamespacesIsVisibleToThem() {
    mesh.namespace("baz", true)
        .with(dr("bar", "httpbin", host("bar"), List.of("foo"), Map.of(), tls(DISABLE)));

    assertThat(tlsFor("foo")).isEqualTo(DISABLE);
    assertThat(ruleFor("baz")).isEmpty();
  }

  @Test
  void theRootNamespaceComesLast() {
    mesh.with(dr("istio-system", "mesh-wide", "*.svc.cluster.local", DISABLE),
        dr("bar", "httpbin", host("bar"), SIMPLE));

    assertThat(tlsFor("foo")).isEqualTo(SIMPLE);
  }

  @Test
  void theMostSpecificHostWinsWithinANamespace() {
    mesh.with(dr("foo", "everything", "*", DISABLE),
        dr("foo", "bar-wildcard", "*.bar.svc.cluster.local", SIMPLE),
        dr("foo", "svc-wildcard", "*.svc.cluster.local", DISABLE));

    assertThat(tlsFor("foo")).isEqualTo(SIMPLE);
    mesh.with(dr("foo", "exact", host("bar"), ISTIO_MUTUAL));
    assertThat(tlsFor("foo")).isEqualTo(ISTIO_MUTUAL);
  }

  @Test
  void aShortHostNameIsRelativeToTheRulesNamespace() {
    mesh.with(dr("bar", "short", "httpbin", DISABLE));

    assertThat(tlsFor("foo")).isEqualTo(DISABLE);
  }

  @Test
  void aShortHostNameInAnotherNamespaceNamesAnotherHostAndIsReported() {
    mesh.with(dr("foo", "misnamed", "httpbin.bar", DISABLE));

    ResolvedPolicy policy = mesh.resolve();
    assertThat(route(policy, "foo").destinationRule()).isEmpty();
    assertThat(policy.warnings()).singleElement().asString().isEqualTo(
        "DestinationRule foo/misnamed has no effect: its host httpbin.bar matches no Service");
  }

  @Test
  void aWorkloadSelectorRuleAppliesOnlyToMatchingClientsInItsNamespaceAndWins() {
    mesh.with(dr("foo", "all-clients", host("bar"), DISABLE),
        dr("foo", "sleep-only", host("bar"), List.of(), Map.of("app", "sleep"), tls(SIMPLE)),
        dr("bar", "never-exported", host("bar"), List.of(), Map.of("app", "sleep"),
            tls(ISTIO_MUTUAL)));

    ResolvedPolicy policy = mesh.resolve();
    assertThat(route(policy, "foo").endpoints().get(0).tls().mode()).isEqualTo(SIMPLE);
    Workload other = new Workload("foo", "other", Map.of("app", "other"), "other", true, Map.of());
    assertThat(policy.outbound(other).route(host("bar"), 8000).orElseThrow()
        .endpoints().get(0).tls().mode()).isEqualTo(DISABLE);
    assertThat(route(policy, "bar").endpoints().get(0).tls().mode()).isEqualTo(ISTIO_MUTUAL);
  }

  @Test
  void sameHostRulesMergeTheirSubsetsAndTheOldestPolicyWinsWhole() {
    mesh.with(dr("bar", "first", host("bar"), List.of(), Map.of(), null,
            new Subset("v1", Map.of("version", "v1"), Optional.empty())),
        dr("bar", "second", host("bar"), List.of(), Map.of(), tls(SIMPLE),
            new Subset("v2", Map.of("version", "v2"), Optional.empty()),
            new Subset("v1", Map.of("version", "other"), Optional.empty())),
        dr("bar", "third", host("bar"), List.of(), Map.of(), tls(DISABLE)));

    ResolvedPolicy policy = mesh.resolve();
    EffectiveDestinationRule rule = route(policy, "foo").destinationRule().orElseThrow();
    assertThat(rule.subsets()).extracting(Subset::name).containsExactly("v1", "v2");
    assertThat(rule.subsets().get(0).labels()).containsEntry("version", "v1");
    assertThat(rule.trafficPolicyFrom().orElseThrow().name()).isEqualTo("second");
    assertThat(tlsFor("foo")).isEqualTo(SIMPLE);
    assertThat(policy.warnings()).singleElement().asString().isEqualTo(
        "DestinationRule bar/second: subset v1 is ignored: DestinationRule bar/first defines it"
            + " for the same host and is older");
  }

  @Test
  void aPortEntryReplacesTheWholePolicyForThatServicePort() {
    mesh.with(dr("bar", "httpbin", host("bar"), List.of(), Map.of(),
        new TrafficPolicy(Optional.of(LoadBalancer.RANDOM), Optional.of(ClientTls.of(SIMPLE)),
            List.of(portLoadBalancer(8000, LoadBalancer.ROUND_ROBIN)))));

    ServiceRoute route = route(mesh.resolve(), "foo");
    assertThat(route.loadBalancer()).isEqualTo(LoadBalancer.ROUND_ROBIN);
    OutboundDecision decision = route.endpoints().get(0).tls();
    assertThat(decision.automatic()).isTrue();
    assertThat(decision.because()).extracting(Object::toString).contains(
        "DestinationRule bar/httpbin: portLevelSettings for port 8000 has no tls and replaces"
            + " the whole policy");
  }

  @Test
  void portEntriesAreKeyedByTheServicePortNotTheTargetPort() {
    mesh.with(dr("bar", "httpbin", host("bar"), List.of(), Map.of(),
        tls(ISTIO_MUTUAL, port(80, DISABLE))));

    assertThat(tlsFor("foo")).isEqualTo(ISTIO_MUTUAL);
    mesh.drs.clear();
    mesh.with(dr("bar", "httpbin", host("bar"), List.of(), Map.of(),
        tls(ISTIO_MUTUAL, port(8000, DISABLE))));
    OutboundDecision decision = route(mesh.resolve(), "foo").endpoints().get(0).tls();
    assertThat(decision.mode()).isEqualTo(DISABLE);
    assertThat(decision.because().get(0)).hasToString("DestinationRule bar/httpbin: "
        + "trafficPolicy.portLevelSettings[port 8000].tls.mode DISABLE");
  }

  @Test
  void anExplicitRuleDecidesForEveryEndpointAndNamesItself() {
    mesh.namespace("legacy", false)
        .with(dr("legacy", "httpbin", host("legacy"), ISTIO_MUTUAL));

    OutboundDecision decision =
        mesh.resolve().outbound(sleep("foo", true)).route(host("legacy"), 8000).orElseThrow()
            .endpoints().get(0).tls();
    assertThat(decision.mode()).isEqualTo(ISTIO_MUTUAL);
    assertThat(decision.automatic()).isFalse();
    assertThat(decision.settings()).isPresent();
    assertThat(decision.because().get(0))
        .hasToString("DestinationRule legacy/httpbin: trafficPolicy.tls.mode ISTIO_MUTUAL");
  }

  @Test
  void aRuleWithoutTrafficPolicyLeavesTlsToAutoMtls() {
    mesh.with(dr("bar", "subsets-only", host("bar"), List.of(), Map.of(), noTls()));

    assertThat(route(mesh.resolve(), "foo").endpoints().get(0).tls().automatic()).isTrue();
  }

  @Test
  void clientsOfDifferentNamespacesShareARouteWhenTheSameRuleApplies() {
    mesh.namespace("baz", true).with(dr("foo", "client-side", host("bar"), SIMPLE));

    ResolvedPolicy policy = mesh.resolve();
    assertThat(route(policy, "baz")).isSameAs(route(policy, "bar"));
    assertThat(route(policy, "foo")).isNotSameAs(route(policy, "bar"));
  }

  private Optional<EffectiveDestinationRule> ruleFor(String clientNamespace) {
    return route(mesh.resolve(), clientNamespace).destinationRule();
  }

  private TlsMode tlsFor(String clientNamespace) {
    return route(mesh.resolve(), clientNamespace).endpoints().get(0).tls().mode();
  }

  private static ServiceRoute route(ResolvedPolicy policy, String clientNamespace) {
    return policy.outbound(sleep(clientNamespace, true)).route(host("bar"), 8000).orElseThrow();
  }
}
