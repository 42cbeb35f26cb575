package dev.weft.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.controlplane.cli.WeftCommandLine;
import dev.weft.controlplane.explain.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code weft matrix} runs the standard topology for real: every scenario observed on a real
 * Istio cluster comes out line for line, and equals what {@code weft explain --matrix} predicts.
 */
class MatrixCommandTest {
  @TempDir Path dir;

  static Stream<Scenario> scenarios() {
    return Scenario.all().stream();
  }

  static Stream<Scenario> scenariosWithIdentities() {
    return scenarios().filter(scenario -> scenario.expectedIdentity().isPresent());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theMatrixReproducesTheObservedScenarioAndThePrediction(Scenario scenario) {
    Run matrix = run("matrix", "--scenario", scenario.name());

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactlyElementsOf(scenario.expected());
    assertThat(matrix.lines())
        .containsExactlyElementsOf(run("explain", "--matrix", "--scenario", scenario.name()).lines());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenariosWithIdentities")
  void theIdentitiesServersSawAreTheObservedOnes(Scenario scenario) {
    Run matrix = run("matrix", "--scenario", scenario.name(), "--show", "identity");

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactlyElementsOf(scenario.expectedIdentity().orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void overGrpcTheMatrixReproducesTheObservedScenario(Scenario scenario) {
    Run matrix = run("matrix", "--scenario", scenario.name(), "--protocol", "grpc");

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactlyElementsOf(scenario.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenariosWithIdentities")
  void overGrpcTheIdentitiesServersSawAreTheObservedOnes(Scenario scenario) {
    Run matrix = run("matrix", "--scenario", scenario.name(), "--show", "identity",
        "--protocol", "grpc");

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactlyElementsOf(scenario.expectedIdentity().orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void onMicronautTheMatrixReproducesTheObservedScenario(Scenario scenario) {
    Run matrix = run("matrix", "--scenario", scenario.name(), "--protocol", "micronaut");

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactlyElementsOf(scenario.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenariosWithIdentities")
  void onMicronautTheIdentitiesServersSawAreTheObservedOnes(Scenario scenario) {
    Run matrix = run("matrix", "--scenario", scenario.name(), "--show", "identity",
        "--protocol", "micronaut");

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactlyElementsOf(scenario.expectedIdentity().orElseThrow());
  }

  @Test
  void aConfigFolderAndTopologyGivenAsOptions() throws Exception {
    Files.writeString(dir.resolve("strict.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """);

    Run matrix = run("matrix", "--config", dir.toString(), "--namespaces", "bar,legacy",
        "--mesh", "bar", "--show", "code");

    assertThat(matrix.exitCode()).as(matrix.err()).isZero();
    assertThat(matrix.lines()).containsExactly(
        "sleep.bar to httpbin.bar: 200",
        "sleep.bar to httpbin.legacy: 200",
        "sleep.legacy to httpbin.bar: 000",
        "sleep.legacy to httpbin.legacy: 200");
  }

  @Test
  void aConfigurationWithErrorsRunsNothingAndSaysWhy() throws Exception {
    Files.writeString(dir.resolve("broken.yaml"), """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICTT}}
        """);

    Run matrix = run("matrix", "--config", dir.toString(), "--namespaces", "bar");

    assertThat(matrix.exitCode()).isEqualTo(1);
    assertThat(matrix.out()).isEmpty();
    assertThat(matrix.err()).contains("broken.yaml", "STRICTT",
        "the configuration has errors, so the matrix was not run");
  }

  @Test
  void badArgumentsAreUsageErrors() {
    Run noNamespaces = run("matrix");
    assertThat(noNamespaces.exitCode()).isEqualTo(2);
    assertThat(noNamespaces.err()).contains("--namespaces");

    Run thrift = run("matrix", "--namespaces", "foo", "--protocol", "thrift");
    assertThat(thrift.exitCode()).isEqualTo(2);
    assertThat(thrift.err()).contains("'thrift' is not a protocol; say http, grpc or micronaut");

    Run strangerInMesh = run("matrix", "--namespaces", "foo", "--mesh", "bar");
    assertThat(strangerInMesh.exitCode()).isEqualTo(2);
    assertThat(strangerInMesh.err()).contains("mesh namespace bar is not one of the namespaces");
    assertThat(strangerInMesh.out()).isEmpty();
  }

  private record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = WeftCommandLine.create(new WeftCli());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}
