package dev.weft.config;

import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.errorsBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.id;
import static dev.weft.config.ConfigTesting.load;
import static dev.weft.policy.ResourceKind.PEER_AUTHENTICATION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAuthenticationLoadingTest {

  @ParameterizedTest
  @ValueSource(strings = {"security.istio.io/v1beta1", "security.istio.io/v1"})
  void loadsEveryFieldInBothApiVersions(String apiVersion) {
    ConfigLoadResult result = load("""
        apiVersion: %s
        kind: PeerAuthentication
        metadata:
          name: httpbin
          namespace: bar
        spec:
          selector:
            matchLabels:
              app: httpbin
              version: v1
          mtls:
            mode: STRICT
          portLevelMtls:
            80:
              mode: DISABLE
            "8080":
              mode: PERMISSIVE
        """.formatted(apiVersion));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    PeerAuthentication policy = result.resources().peerAuthentications().get(0);
    assertThat(policy.meta().id()).isEqualTo(id(PEER_AUTHENTICATION, "bar", "httpbin"));
    assertThat(policy.selector()).isEqualTo(Map.of("app", "httpbin", "version", "v1"));
    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.portLevelMtls())
        .isEqualTo(Map.of(80, MtlsMode.DISABLE, 8080, MtlsMode.PERMISSIVE));
  }

  @Test
  void absentMtlsOrModeIsUnset() {
    ConfigLoadResult result = load("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: no-mtls, namespace: foo}
        spec: {}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: no-mode, namespace: foo}
        spec:
          mtls: {}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: no-spec, namespace: foo}
        """);

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().peerAuthentications())
        .extracting(PeerAuthentication::mode)
        .containsExactly(MtlsMode.UNSET, MtlsMode.UNSET, MtlsMode.UNSET);
    assertThat(result.resources().peerAuthentications())
        .allSatisfy(policy -> assertThat(policy.hasSelector()).isFalse());
  }

  @Test
  void portLevelMtlsWithoutSelectorIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata:
          name: httpbin
          namespace: bar
        spec:
          mtls:
            mode: STRICT
          portLevelMtls:
            8080:
              mode: DISABLE
        """);

    assertThat(problem.resource()).contains(id(PEER_AUTHENTICATION, "bar", "httpbin"));
    assertThat(problem.field()).isEqualTo("spec.portLevelMtls");
    assertThat(problem.line()).hasValue(18);
    assertThat(problem.message())
        .isEqualTo("requires a selector: mesh/namespace peer authentication cannot have port"
            + " level mTLS");
    assertThat(problem.toString()).isEqualTo("policies.yaml, document 2 (PeerAuthentication"
        + " bar/httpbin), spec.portLevelMtls (line 18): requires a selector: mesh/namespace peer"
        + " authentication cannot have port level mTLS");
  }

  @Test
  void selectorWithEmptyMatchLabelsCountsAsNoSelector() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {}
          portLevelMtls:
            8080: {mode: DISABLE}
        """);

    assertThat(errors).extracting(ConfigProblem::message)
        .containsExactly("requires a selector: mesh/namespace peer authentication cannot have"
            + " port level mTLS");
  }

  @Test
  void selectorWithoutLabelsIsWarnedAbout() {
    ConfigLoadResult result = load("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {}
          mtls: {mode: STRICT}
        """);

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().peerAuthentications().get(0).hasSelector()).isFalse();
    assertThat(result.warnings()).singleElement().satisfies(warning -> {
      assertThat(warning.field()).isEqualTo("spec.selector");
      assertThat(warning.message()).startsWith("workload selector specified without labels");
    });
  }

  @Test
  void emptyPortLevelMtlsIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {app: httpbin}
          portLevelMtls: {}
        """);

    assertThat(problem.field()).isEqualTo("spec.portLevelMtls");
    assertThat(problem.message())
        .isEqualTo("port level mTLS, if defined, must have at least one element");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "\"0\"", "99999999"})
  void portLevelMtlsPortOutOfRangeIsRejected(String port) {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {app: httpbin}
          portLevelMtls:
            %s: {mode: DISABLE}
        """.formatted(port));

    assertThat(problem.field()).isEqualTo("spec.portLevelMtls[" + port.replace("\"", "") + "]");
    assertThat(problem.message()).startsWith("port must be in range 1..65535");
  }

  @Test
  void portLevelMtlsKeyThatIsNotANumberIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {app: httpbin}
          portLevelMtls:
            http: {mode: DISABLE}
        """);

    assertThat(problem.field()).isEqualTo("spec.portLevelMtls[http]");
    assertThat(problem.message())
        .isEqualTo("a port must be a number from 1 to 65535, found \"http\"");
  }

  @Test
  void portLevelMtlsEntryWithoutModeIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {app: httpbin}
          portLevelMtls:
            8080: {}
        """);

    assertThat(problem.field()).isEqualTo("spec.portLevelMtls[8080].mode");
    assertThat(problem.message())
        .isEqualTo("required; valid values are UNSET, DISABLE, PERMISSIVE, STRICT");
  }

  @Test
  void portWrittenTwiceAsNumberAndTextIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {app: httpbin}
          portLevelMtls:
            8080: {mode: DISABLE}
            "8080": {mode: STRICT}
        """);

    assertThat(problem.field()).isEqualTo("spec.portLevelMtls");
    assertThat(problem.message()).isEqualTo("duplicate key \"8080\"");
    assertThat(problem.line()).hasValue(18);
  }

  @Test
  void unknownModeIsRejectedListingTheValidOnes() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels: {app: httpbin}
          portLevelMtls:
            8080: {mode: strict}
        """);

    assertThat(problem.field()).isEqualTo("spec.portLevelMtls[8080].mode");
    assertThat(problem.message()).isEqualTo(
        "unknown mTLS mode \"strict\"; valid values are UNSET, DISABLE, PERMISSIVE, STRICT");
  }

  @Test
  void unknownWorkloadModeIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec:
          mtls:
            mode: MUTUAL
        """);

    assertThat(problem.field()).isEqualTo("spec.mtls.mode");
    assertThat(problem.message()).startsWith("unknown mTLS mode \"MUTUAL\"");
  }

  @Test
  void invalidSelectorLabelsAreRejected() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector:
            matchLabels:
              "app*": httpbin
              version: "v1 beta"
              tier: 1
        """);

    assertThat(errors).extracting(ConfigProblem::field).containsExactly(
        "spec.selector.matchLabels[app*]", "spec.selector.matchLabels[version]",
        "spec.selector.matchLabels[tier]");
    assertThat(errors.get(0).message()).startsWith("label key \"app*\" is invalid");
    assertThat(errors.get(1).message()).startsWith("label value \"v1 beta\" is invalid");
    assertThat(errors.get(2).message())
        .isEqualTo("expected a string, found the number 1; quote it to make it a string");
  }

  @Test
  void unknownSpecFieldIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec:
          mtls: {mode: STRICT}
          portLevelTls: {}
        """);

    assertThat(problem.field()).isEqualTo("spec.portLevelTls");
    assertThat(problem.message()).isEqualTo(
        "unknown field \"portLevelTls\"; the fields here are selector, mtls, portLevelMtls");
  }

  @Test
  void mtlsThatIsNotAMappingIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec:
          mtls: STRICT
        """);

    assertThat(problem.field()).isEqualTo("spec.mtls");
    assertThat(problem.message()).isEqualTo("expected a mapping, found the string \"STRICT\"");
  }
}
