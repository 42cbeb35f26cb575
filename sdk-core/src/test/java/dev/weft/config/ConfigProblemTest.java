package dev.weft.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.config.ConfigProblem.Severity;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ConfigProblemTest {

  @Test
  void rendersEveryPartThatIsKnownOnOneLine() {
    ConfigProblem problem = new ConfigProblem(Severity.ERROR, "policies.yaml", 2,
        Optional.of(new ResourceId(ResourceKind.PEER_AUTHENTICATION, "bar", "httpbin")),
        "spec.portLevelMtls[8080].mode", OptionalInt.of(14), "required");

    assertThat(problem).hasToString("policies.yaml, document 2 (PeerAuthentication bar/httpbin),"
        + " spec.portLevelMtls[8080].mode (line 14): required");
  }

  @Test
  void leavesOutWhatIsNotKnown() {
    assertThat(new ConfigProblem(Severity.ERROR, "broken.yaml", 0, Optional.empty(), "",
        OptionalInt.empty(), "not valid YAML")).hasToString("broken.yaml: not valid YAML");
    assertThat(new ConfigProblem(Severity.WARNING, "p.yaml", 3, Optional.empty(), "kind",
        OptionalInt.of(20), "skipped")).hasToString("p.yaml, document 3, kind (line 20): skipped");
  }
}
