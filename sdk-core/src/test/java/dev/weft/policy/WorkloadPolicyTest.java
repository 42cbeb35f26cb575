package dev.weft.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.annotation.ClientTls;
import dev.weft.annotation.DestinationRule;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.PortMtls;
import dev.weft.annotation.RequireMutualTls;
import dev.weft.policy.WorkloadPolicy.AuthoredDestinationRule;
import dev.weft.policy.WorkloadPolicy.AuthoredPeerAuthentication;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy a workload authors with annotations: read from its classes, and checked. */
class WorkloadPolicyTest {
  private static final String HERE = WorkloadPolicyTest.class.getCanonicalName();

  @PeerAuthentication(mode = MtlsMode.STRICT, portLevelMtls = {
      @PortMtls(port = 9090, mode = MtlsMode.DISABLE),
      @PortMtls(port = 9091, mode = MtlsMode.UNSET)})
  static final class Httpbin {}

  @RequireMutualTls
  static final class App {}

  @DestinationRule(host = "httpbin.bar.svc.cluster.local",
      tls = @ClientTls(mode = TlsMode.DISABLE))
  @DestinationRule(host = "api.example.com", tls = @ClientTls(mode = TlsMode.MUTUAL,
      clientCertificate = "/certs/client.pem", privateKey = "/certs/client.key",
      caCertificates = "/certs/ca.pem", subjectAltNames = "api.example.com",
      sni = "api.example.com"))
  static final class Client {}

  @PeerAuthentication(portLevelMtls = @PortMtls(mode = MtlsMode.STRICT))
  static final class PortWithoutPort {}

  @PeerAuthentication(portLevelMtls = @PortMtls(port = 70000, mode = MtlsMode.STRICT))
  static final class PortOutOfRange {}

  @PeerAuthentication(mode = MtlsMode.PERMISSIVE)
  static final class OtherPeerAuthentication {}

  @DestinationRule(host = "api.example.com", tls = @ClientTls(mode = TlsMode.MUTUAL,
      clientCertificate = "/certs/client.pem"))
  static final class MutualWithoutKey {}

  @DestinationRule(host = "httpbin.bar.svc.cluster.local",
      tls = @ClientTls(mode = TlsMode.ISTIO_MUTUAL))
  static final class SameHost {}

  @DestinationRule(host = " ", tls = @ClientTls(mode = TlsMode.SIMPLE))
  static final class EmptyHost {}

  @DestinationRule(host = "a", tls = @ClientTls(mode = TlsMode.SIMPLE))
  @DestinationRule(host = "a", tls = @ClientTls(mode = TlsMode.DISABLE))
  static final class SameHostTwice {}

  @Test
  void aPeerAuthenticationIsReadWithItsPortsAndOrigin() {
    WorkloadPolicy policy = WorkloadPolicy.fromAnnotations(List.of(Httpbin.class));

    assertThat(policy.peerAuthentication()).contains(new AuthoredPeerAuthentication(
        MtlsMode.STRICT, Map.of(9090, MtlsMode.DISABLE, 9091, MtlsMode.UNSET),
        "@PeerAuthentication on " + HERE + ".Httpbin"));
    assertThat(policy.destinationRules()).isEmpty();
    assertThat(policy.requiresMutualTls()).isFalse();
    assertThat(policy.describe()).containsExactly("@PeerAuthentication on " + HERE
        + ".Httpbin: STRICT, port 9090 DISABLE, port 9091 UNSET");
  }

  @Test
  void everyDestinationRuleIsReadWithItsTls() {
    WorkloadPolicy policy = WorkloadPolicy.fromAnnotations(List.of(Client.class));

    assertThat(policy.destinationRules()).extracting(AuthoredDestinationRule::host)
        .containsExactly("httpbin.bar.svc.cluster.local", "api.example.com");
    AuthoredDestinationRule mutual = policy.destinationRules().get(1);
    assertThat(mutual.origin()).isEqualTo("@DestinationRule on " + HERE + ".Client");
    assertThat(mutual.tls()).isEqualTo(new dev.weft.policy.ClientTls(TlsMode.MUTUAL,
        Optional.of("/certs/client.pem"), Optional.of("/certs/client.key"),
        Optional.of("/certs/ca.pem"), Optional.empty(), List.of("api.example.com"),
        Optional.of("api.example.com"), false));
    assertThat(policy.destinationRules().get(0).tls())
        .isEqualTo(dev.weft.policy.ClientTls.of(TlsMode.DISABLE));
  }

  @Test
  void theAnnotationsOfSeveralClassesMakeOnePolicy() {
    WorkloadPolicy policy =
        WorkloadPolicy.fromAnnotations(List.of(Httpbin.class, App.class, Client.class));

    assertThat(policy.peerAuthentication()).isPresent();
    assertThat(policy.destinationRules()).hasSize(2);
    assertThat(policy.mutualTlsRequiredBy()).contains("@RequireMutualTls on " + HERE + ".App");
    assertThat(policy.isEmpty()).isFalse();
  }

  @Test
  void classesWithoutAnnotationsAuthorNothing() {
    WorkloadPolicy policy = WorkloadPolicy.fromAnnotations(List.of(String.class));

    assertThat(policy).isEqualTo(WorkloadPolicy.NONE);
    assertThat(policy.isEmpty()).isTrue();
    assertThat(policy).hasToString("nothing authored");
  }

  @Test
  void aPortLevelEntryWithoutAPortIsRefusedNamingTheClass() {
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(List.of(PortWithoutPort.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(HERE + ".PortWithoutPort: @PeerAuthentication portLevelMtls[0] (mode STRICT)"
            + " has no port; set port to the container port it is for");
  }

  @Test
  void aPortOutsideTheRangeIsRefused() {
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(List.of(PortOutOfRange.class)))
        .hasMessage(HERE + ".PortOutOfRange: @PeerAuthentication portLevelMtls[0] (mode STRICT)"
            + " port 70000 is not in 1..65535");
  }

  @Test
  void twoPeerAuthenticationsAreAmbiguous() {
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(
        List.of(Httpbin.class, OtherPeerAuthentication.class)))
        .hasMessage(HERE + ".OtherPeerAuthentication: @PeerAuthentication is also declared on "
            + HERE + ".Httpbin; a workload authors one PeerAuthentication, so keep one");
  }

  @Test
  void mutualWithoutACertificateAndKeyIsRefused() {
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(List.of(MutualWithoutKey.class)))
        .hasMessage(HERE + ".MutualWithoutKey: @DestinationRule(host = \"api.example.com\") tls"
            + " mode MUTUAL needs clientCertificate and privateKey; privateKey is missing");
  }

  @Test
  void twoRulesForOneHostAreRefused() {
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(
        List.of(Client.class, SameHost.class)))
        .hasMessage(HERE + ".SameHost: @DestinationRule(host = \"httpbin.bar.svc.cluster.local\")"
            + " is declared twice, also on " + HERE + ".Client; a workload authors one rule per"
            + " host");
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(List.of(SameHostTwice.class)))
        .hasMessageContaining("is declared twice, on this class");
  }

  @Test
  void anEmptyHostIsRefused() {
    assertThatThrownBy(() -> WorkloadPolicy.fromAnnotations(List.of(EmptyHost.class)))
        .hasMessage(HERE + ".EmptyHost: @DestinationRule(host = \" \") host is empty; name the"
            + " host the rule is for");
  }

  @Test
  void theChecksOfOneAnnotationAreThereForACompileTimeCheck() {
    assertThat(WorkloadPolicy.check(annotation(PortWithoutPort.class, PeerAuthentication.class)))
        .hasValueSatisfying(problem -> assertThat(problem).contains("has no port"));
    assertThat(WorkloadPolicy.check(annotation(Httpbin.class, PeerAuthentication.class)))
        .isEmpty();
    assertThat(WorkloadPolicy.check(annotation(MutualWithoutKey.class, DestinationRule.class)))
        .hasValueSatisfying(problem -> assertThat(problem).contains("privateKey is missing"));
    assertThat(WorkloadPolicy.check(annotation(SameHost.class, DestinationRule.class)))
        .isEmpty();
  }

  @Test
  void aPolicyBuiltInCodeIsCheckedByTheSameRules() {
    assertThatThrownBy(() -> new AuthoredPeerAuthentication(MtlsMode.STRICT,
        Map.of(0, MtlsMode.DISABLE), "code"))
        .hasMessage("code: portLevelMtls has no port; set port to the container port it is for");
    assertThatThrownBy(() -> new AuthoredDestinationRule("httpbin",
        new dev.weft.policy.ClientTls(TlsMode.ISTIO_MUTUAL, Optional.of("/c.pem"),
            Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
            false), "code"))
        .hasMessage("code: tls mode ISTIO_MUTUAL uses the workload's mesh certificate; remove"
            + " clientCertificate or use MUTUAL");
    AuthoredDestinationRule rule = new AuthoredDestinationRule("httpbin",
        dev.weft.policy.ClientTls.of(TlsMode.DISABLE), "first");
    assertThatThrownBy(() -> new WorkloadPolicy(Optional.empty(), List.of(rule,
        new AuthoredDestinationRule("httpbin", dev.weft.policy.ClientTls.of(TlsMode.SIMPLE),
            "second")), Optional.empty()))
        .hasMessage("two DestinationRules for host httpbin: first and second");
  }

  private static <A extends java.lang.annotation.Annotation> A annotation(
      Class<?> type, Class<A> annotation) {
    return type.getAnnotationsByType(annotation)[0];
  }
}
