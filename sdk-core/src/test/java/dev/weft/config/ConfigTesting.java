package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import java.util.List;

/** Loading YAML text in tests, and checking that an invalid document spares its neighbours. */
final class ConfigTesting {
  static final String SOURCE = "policies.yaml";

  /** A valid mesh-wide PeerAuthentication, {@code istio-system/default}. */
  static final String VALID_DOCUMENT = """
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata:
        name: default
        namespace: istio-system
      spec:
        mtls:
          mode: STRICT
      """;

  private ConfigTesting() {}

  /** Loads {@code yaml} as {@code policies.yaml} with a fresh loader. */
  static ConfigLoadResult load(String yaml) {
    return new ConfigLoader().load(yaml, SOURCE);
  }

  /**
   * Loads {@code document} as document 2 of a file whose document 1 is {@link #VALID_DOCUMENT}
   * and a document 3 equal to it but named {@code after}; checks that documents 1 and 3 loaded
   * and that every error is about document 2, and returns those errors.
   */
  static List<ConfigProblem> errorsBetweenValidDocuments(String document) {
    String after = VALID_DOCUMENT.replace("name: default", "name: after");
    ConfigLoadResult result = load(VALID_DOCUMENT + "---\n" + document + "---\n" + after);
    assertThat(result.resources().peerAuthentications())
        .extracting(PeerAuthentication::meta)
        .extracting(meta -> meta.name())
        .as("the valid documents around the invalid one")
        .containsExactly("default", "after");
    assertThat(result.errors()).isNotEmpty().allSatisfy(problem -> {
      assertThat(problem.source()).isEqualTo(SOURCE);
      assertThat(problem.document()).isEqualTo(2);
      assertThat(problem.severity()).isEqualTo(ConfigProblem.Severity.ERROR);
    });
    return result.errors();
  }

  /** Like {@link #errorsBetweenValidDocuments}, for a document with exactly one error. */
  static ConfigProblem errorBetweenValidDocuments(String document) {
    List<ConfigProblem> errors = errorsBetweenValidDocuments(document);
    assertThat(errors).as("errors").hasSize(1);
    return errors.get(0);
  }

  static ResourceId id(ResourceKind kind, String namespace, String name) {
    return new ResourceId(kind, namespace, name);
  }
}
