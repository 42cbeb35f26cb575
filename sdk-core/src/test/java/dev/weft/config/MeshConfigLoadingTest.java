package dev.weft.config;

import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.identity.TrustDomain;
import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshConfigLoadingTest {

  private static String meshConfig(String spec) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: MeshConfig
        metadata:
          name: mesh
        spec:
        """ + spec.indent(2);
  }

  @Test
  void loadsEveryField() {
    ConfigLoadResult result = load(meshConfig("""
        rootNamespace: mesh-root
        trustDomain: example.org
        enableAutoMtls: false
        compatibility: "1.9"
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().meshConfig()).isEqualTo(new MeshConfig(
        "mesh-root", TrustDomain.parse("example.org"), false, Compatibility.ISTIO_1_9));
  }

  @Test
  void withoutAMeshConfigTheDefaultsApply() {
    assertThat(load("").resources().meshConfig()).isEqualTo(MeshConfig.DEFAULT);
    assertThat(load(meshConfig("{}\n")).resources().meshConfig()).isEqualTo(MeshConfig.DEFAULT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.9", "\"1.9\""})
  void compatibilityMayBeWrittenAsANumberOrAString(String written) {
    ConfigLoadResult result = load(meshConfig("compatibility: " + written + "\n"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().meshConfig().compatibility()).isEqualTo(Compatibility.ISTIO_1_9);
  }

  @Test
  void unknownCompatibilityIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(meshConfig("compatibility: 1.10\n"));

    assertThat(problem.field()).isEqualTo("spec.compatibility");
    assertThat(problem.message())
        .isEqualTo("unknown compatibility \"1.10\"; use \"latest\" or \"1.9\"");
  }

  @Test
  void invalidTrustDomainIsRejectedWithTheReason() {
    ConfigProblem problem = errorBetweenValidDocuments(meshConfig("trustDomain: Example.org\n"));

    assertThat(problem.field()).isEqualTo("spec.trustDomain");
    assertThat(problem.message()).contains("the trust domain must be lowercase");
  }

  @Test
  void aSecondMeshConfigIsRejected() {
    ConfigLoadResult result = load(meshConfig("trustDomain: first.org\n") + "---\n"
        + meshConfig("trustDomain: second.org\n").replace("name: mesh", "name: other"));

    assertThat(result.resources().meshConfig().trustDomain())
        .isEqualTo(TrustDomain.parse("first.org"));
    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.document()).isEqualTo(2);
      assertThat(problem.message())
          .isEqualTo("a mesh has one MeshConfig, already defined in policies.yaml, document 1");
    });
  }

  @Test
  void enableAutoMtlsMustBeABoolean() {
    ConfigProblem problem = errorBetweenValidDocuments(meshConfig("enableAutoMtls: sometimes\n"));

    assertThat(problem.field()).isEqualTo("spec.enableAutoMtls");
    assertThat(problem.message())
        .isEqualTo("expected true or false, found the string \"sometimes\"");
  }
}
