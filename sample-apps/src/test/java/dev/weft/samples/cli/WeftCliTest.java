package dev.weft.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.controlplane.cli.WeftCommandLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WeftCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void helpListsTheCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: weft", "demo", "explain", "matrix", "control-plane",
        "status", "ca", "help");
  }

  @Test
  void caHelpIsReachableThroughWeft() {
    assertThat(run("ca", "--help")).isZero();
    assertThat(out.toString()).contains("Usage: weft ca", "init", "issue");
  }

  @Test
  void versionNamesWeftAndJava() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("weft ").contains("Java " + Runtime.version());
  }

  @Test
  void theDemoWalksEveryStepAndEveryMatrixMatches() {
    assertThat(run("demo")).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Step 1 of 8: No policy at all", "Step 8 of 8")
        .contains("  sleep.legacy   000 [1]")
        .contains("Weft's client: httpbin.bar:8000 (127.0.0.1:")
        .contains("closed a plaintext connection: PeerAuthentication bar/httpbin: workload-level"
            + " STRICT; DestinationRule bar/httpbin: trafficPolicy.tls.mode DISABLE")
        .contains("Every matrix matched weft explain's prediction")
        .doesNotContain("DIFFERS");
    assertThat(out.toString().lines().filter(line -> line.contains("Matches weft explain's"
        + " prediction and what Istio did on a real cluster."))).hasSize(6);
  }

  @Test
  void anUnknownCommandIsAUsageErrorWithASuggestion() {
    assertThat(run("demoo")).isEqualTo(2);
    assertThat(err.toString()).contains("weft: Unmatched argument at index 0: 'demoo'",
        "Did you mean: weft demo?", "Try 'weft --help' for usage.");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).startsWith("weft: Missing required subcommand: one of demo, explain, matrix, httpbin, greeter, sleep, control-plane, status, ca, help");
  }

  private int run(String... args) {
    CommandLine commandLine = WeftCommandLine.create(new WeftCli());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
