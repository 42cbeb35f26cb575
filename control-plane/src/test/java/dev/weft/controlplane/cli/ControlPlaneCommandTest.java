package dev.weft.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weft.cert.IstioCaClient;
import dev.weft.controlplane.ControlPlane;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.internal.X509Svids;
import dev.weft.mesh.Mesh;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weft control-plane}, {@code weft control-plane token} and {@code weft status}. */
class ControlPlaneCommandTest {
  private static final SpiffeId SLEEP = SpiffeId.parse("spiffe://cluster.local/ns/foo/sa/sleep");

  @TempDir Path dir;

  @Test
  void aTokenNeedsOnlyTheStateFolderAndGetsItsHolderThatIdentity() throws Exception {
    Path state = dir.resolve("state");
    Path token = dir.resolve("sleep.token");

    Run run = run(new ControlPlaneCommand(), "token", "--state", state.toString(),
        "--spiffe-id", SLEEP.toString(), "--out", token.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("Wrote a token for " + SLEEP + " to " + token);
    try (ControlPlane controlPlane = controlPlane(state);
        IstioCaClient ca = IstioCaClient.newBuilder()
            .address("127.0.0.1:" + controlPlane.port())
            .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
            .tokenFile(token)
            .identity(SLEEP)
            .build()) {
      assertThat(X509Svids.leafIdentity(ca.fetch().leaf())).isEqualTo(SLEEP);
    }
  }

  @Test
  void theControlPlaneWithoutAConfigFolderIsAUsageError() {
    Run run = run(new ControlPlaneCommand(), "--port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("control-plane: Missing required option: '--config=DIR'");
  }

  @Test
  void statusShowsEachWorkloadsSyncAndTheFilesWithErrors() throws Exception {
    try (ControlPlane controlPlane = controlPlane(dir.resolve("state"))) {
      Path token = dir.resolve("sleep.token");
      controlPlane.tokens().writeTokenFile(SLEEP, token);
      try (Mesh sleep = Mesh.builder().namespace("foo").serviceAccount("sleep")
          .controlPlane("127.0.0.1:" + controlPlane.port())
          .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
          .tokenFile(token).build().start()) {
        sleep.awaitOutboundRoute("httpbin.bar", 8000, Duration.ofSeconds(10));
        String debug = "127.0.0.1:" + controlPlane.debugPort();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(run(new StatusCommand(), "--control-plane", debug).out())
                .containsPattern("sleep\\.foo +Kubernetes +0\\.1\\.0 +SYNCED +SYNCED +SYNCED"
                    + " +SYNCED"));

        Files.writeString(dir.resolve("config/broken.yaml"), """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: foo}
            spec: {mtls: {mode: STRICTT}}
            """);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          Run status = run(new StatusCommand(), "--control-plane", debug);
          assertThat(status.exitCode()).isEqualTo(1);
          assertThat(status.out()).contains("config error in broken.yaml: nothing of it is in force")
              .contains("unknown mTLS mode \"STRICTT\"");
        });
      }
    }
  }

  @Test
  void statusWithoutAControlPlaneSaysWhereItLooked() throws Exception {
    int unused;
    try (ServerSocket socket = new ServerSocket(0)) {
      unused = socket.getLocalPort();
    }

    Run run = run(new StatusCommand(), "--control-plane", "127.0.0.1:" + unused);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach the control plane's debug port at 127.0.0.1:"
        + unused).contains("--debug-port");
  }

  private ControlPlane controlPlane(Path state) throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("services.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {app: httpbin}
          ports: [{name: http, port: 8000, targetPort: 80}]
        """);
    return ControlPlane.newBuilder().configDirectory(config).port(0).debugPort(0)
        .stateDirectory(state).debounce(Duration.ofMillis(20)).build().start();
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = WeftCommandLine.create(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}
