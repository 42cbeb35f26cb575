package dev.weft.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.controlplane.explain.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExplainCommandTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.strip().lines().toList();
    }
  }

  static Stream<Scenario> scenarios() {
    return Scenario.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theMatrixPredictionReproducesTheObservedScenario(Scenario scenario) throws IOException {
    Run run = run(matrixArguments(scenario, "status"));

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.lines()).containsExactlyElementsOf(scenario.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theIdentityMatrixReproducesTheObservedIdentities(Scenario scenario) throws IOException {
    if (scenario.expectedIdentity().isEmpty()) {
      return;
    }
    assertThat(run(matrixArguments(scenario, "identity")).lines())
        .containsExactlyElementsOf(scenario.expectedIdentity().get());
  }

  @Test
  void aShippedScenarioCanBeNamedDirectly() {
    Scenario scenario = Scenario.named("06-workload-disable-istio19");

    assertThat(run("explain", "--matrix", "--scenario", scenario.name()).lines())
        .containsExactlyElementsOf(scenario.expected());
  }

  @Test
  void compatOverridesTheScenarios() {
    assertThat(run("explain", "--matrix", "--scenario", "06-workload-disable-istio19",
        "--compat", "latest").lines())
        .containsExactlyElementsOf(Scenario.named("07-workload-disable-latest").expected());
  }

  @Test
  void explainsARequestNamingEveryResourceThatDecidedIt() throws IOException {
    Files.writeString(dir.resolve("policy.yaml"),
        Scenario.named("04-strict-vs-dr-disable").config().orElseThrow());

    Run run = run("explain", "--config", dir.toString(), "--from", "foo/sleep",
        "--to", "httpbin.bar:8000");

    assertThat(run.exitCode()).isZero();
    assertThat(run.lines()).containsExactly(
        "sleep.foo -> httpbin.bar.svc.cluster.local:8000",
        "  server httpbin.bar:80 (Service port 8000) accepts STRICT -- PeerAuthentication"
            + " bar/httpbin: workload-level STRICT",
        "  client sleep.foo sends plaintext -- DestinationRule bar/httpbin:"
            + " trafficPolicy.tls.mode DISABLE",
        "  => 503: plaintext to a STRICT listener");
  }

  @Test
  void aClientWithoutWeftIsResetByAStrictServer() {
    Run run = run("explain", "--scenario", "02-mesh-strict", "--from", "legacy/sleep",
        "--to", "httpbin.full:8000");

    assertThat(run.lines()).contains(
        "  client sleep.legacy does not run Weft: it sends plaintext",
        "  => 000: plaintext to a STRICT listener, which resets the connection");
  }

  @Test
  void invalidConfigurationIsReportedAndTheRestStillExplains() throws IOException {
    Files.writeString(dir.resolve("policy.yaml"), """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: bar
        spec:
          mtls:
            mode: STRICT
        ---
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata:
          name: broken
          namespace: bar
        spec:
          portLevelMtls:
            80:
              mode: DISABLE
        """);

    Run run = run("explain", "--config", dir.toString(), "--from", "foo/sleep",
        "--to", "httpbin.bar:8000");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("error: ").contains("policy.yaml, document 2")
        .contains("PeerAuthentication bar/broken").contains("spec.portLevelMtls");
    assertThat(run.out()).contains("accepts STRICT -- PeerAuthentication bar/default");
  }

  @Test
  void ignoredPoliciesAreWarnedAbout() throws IOException {
    Files.writeString(dir.resolve("policy.yaml"), """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: first, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: second, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """);

    Run run = run("explain", "--config", dir.toString(), "--from", "foo/sleep",
        "--to", "httpbin.bar:8000");

    assertThat(run.err()).contains("warning: PeerAuthentication bar/second is ignored: the "
        + "namespace-level policy PeerAuthentication bar/first is older");
  }

  @Test
  void unknownTargetsAreOneLineErrors() {
    Run run = run("explain", "--from", "foo/sleep", "--to", "httpbin.bar:9");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("weft explain: Service httpbin.bar.svc.cluster.local has no port"
        + " 9; it has 8000\n");
  }

  @Test
  void optionMistakesAreUsageErrors() {
    assertThat(run("explain", "--matrix").exitCode()).isEqualTo(2);
    assertThat(run("explain", "--from", "foo/sleep").exitCode()).isEqualTo(2);
    assertThat(run("explain", "--matrix", "--from", "a/b", "--namespaces", "a").exitCode())
        .isEqualTo(2);
    assertThat(run("explain", "--from", "sleep", "--to", "httpbin:8000").err())
        .contains("--from takes NAMESPACE/WORKLOAD");
    assertThat(run("explain", "--matrix", "--namespaces", "a", "--mesh", "b").err())
        .contains("mesh namespace b is not one of the namespaces [a]");
    assertThat(run("explain", "--matrix", "--scenario", "nope").err())
        .contains("no scenario nope");
    assertThat(run("explain", "--matrix", "--namespaces", "a", "--compat", "2.0").err())
        .contains("use \"latest\" or \"1.9\"");
  }

  private String[] matrixArguments(Scenario scenario, String show) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("explain", "--matrix", "--show", show));
    if (scenario.config().isPresent()) {
      Path config = Files.createDirectories(dir.resolve(scenario.name()));
      Files.writeString(config.resolve("config.yaml"), scenario.config().get());
      arguments.addAll(List.of("--config", config.toString()));
    }
    arguments.addAll(scenario.arguments());
    return arguments.toArray(new String[0]);
  }

  /** An application class that will not be served below STRICT. */
  @dev.weft.annotation.RequireMutualTls
  static final class StrictApp {}

  @Test
  void theAuthoredPolicyOfCompiledClassesTakesPartAndIsNamed() throws IOException {
    Files.writeString(dir.resolve("disable.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        """);
    Path classes = copyClass(StrictApp.class, dir.resolve("classes"));

    Run plain = run("explain", "--config", dir.resolve("disable.yaml").toString(),
        "--from", "legacy/sleep", "--to", "httpbin.bar:8000");
    Run authored = run("explain", "--config", dir.resolve("disable.yaml").toString(),
        "--from", "legacy/sleep", "--to", "httpbin.bar:8000",
        "--authored", "bar/httpbin=" + classes);

    assertThat(plain.out()).doesNotContain("RequireMutualTls");
    assertThat(authored.exitCode()).as(authored.err()).isZero();
    assertThat(authored.out()).contains("raised to STRICT by @RequireMutualTls on "
        + StrictApp.class.getCanonicalName());
  }

  @Test
  void anAuthoredWorkloadOutsideTheTopologyIsAnError() throws IOException {
    Path classes = copyClass(StrictApp.class, dir.resolve("classes"));

    Run run = run("explain", "--from", "foo/sleep", "--to", "httpbin.bar:8000",
        "--authored", "bar/payments=" + classes);

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("--authored names no workload of the topology: [bar/payments]");
  }

  /** Copies the compiled {@code type} alone into a classes folder {@code dir}. */
  private static Path copyClass(Class<?> type, Path dir) throws IOException {
    String file = type.getName().replace('.', '/') + ".class";
    Path target = dir.resolve(file);
    Files.createDirectories(target.getParent());
    try (var in = type.getClassLoader().getResourceAsStream(file)) {
      Files.copy(in, target);
    }
    return dir;
  }

  private static Run run(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = WeftCommandLine.create(new Root())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(arguments);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @picocli.CommandLine.Command(name = "weft", subcommands = ExplainCommand.class)
  static final class Root {}
}
