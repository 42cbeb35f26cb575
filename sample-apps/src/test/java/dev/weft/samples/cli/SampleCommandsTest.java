package dev.weft.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.controlplane.cli.WeftCommandLine;
import dev.weft.mesh.Mesh;
import dev.weft.samples.httpbin.HttpbinServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weft sleep} and {@code weft httpbin}, the sample workloads run from the command line. */
class SampleCommandsTest {
  @TempDir Path config;
  private Mesh httpbinMesh;
  private HttpbinServer httpbin;
  private HttpbinServer legacy;
  private int port;

  @BeforeEach
  void startHttpbins() throws Exception {
    port = freePort();
    Files.writeString(config.resolve("mesh.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: httpbin, namespace: bar}
        spec:
          selector: {app: httpbin}
          ports: [{name: http, port: 8000, targetPort: 80}]
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: httpbin, namespace: bar}
        spec:
          address: 127.0.0.1
          labels: {app: httpbin, security.istio.io/tlsMode: istio}
          serviceAccount: httpbin
          ports: {http: %d}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """.formatted(port));
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    httpbinMesh = Mesh.builder().namespace("bar").serviceAccount("httpbin")
        .labels(Map.of("app", "httpbin")).servePort(port, address).localConfig(config)
        .build().start();
    httpbin = HttpbinServer.withWeft(httpbinMesh, port, address);
    legacy = HttpbinServer.legacy(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    httpbin.close();
    legacy.close();
    httpbinMesh.close();
  }

  @Test
  void sleepInTheMeshPrintsTheStatusAndTheIdentityTheServerSaw() {
    Run status = run("sleep", "http://httpbin.bar:8000/status/418", "--namespace", "foo",
        "--config", config.toString());
    Run identity = run("sleep", "http://httpbin.bar:8000/headers", "--namespace", "foo",
        "--config", config.toString(), "--show", "identity");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).isEqualTo("418\n");
    assertThat(identity.out()).isEqualTo("spiffe://cluster.local/ns/foo/sa/sleep\n");
  }

  @Test
  void legacySleepReachesAPlainServerAndIsResetByAStrictOne() {
    Run plain = run("sleep", "http://httpbin.legacy:8000/ip", "--legacy",
        "--resolve", "httpbin.legacy:8000=127.0.0.1:" + legacy.port());
    Run refused = run("sleep", "http://httpbin.bar:8000/ip", "--legacy",
        "--resolve", "httpbin.bar:8000=127.0.0.1:" + port);

    assertThat(plain.exitCode()).isZero();
    assertThat(plain.out()).isEqualTo("200\n");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).isEqualTo("000\n");
    assertThat(refused.err()).contains("Connection reset");
  }

  @Test
  void sleepWithoutAMeshToJoinOrWithResolveInTheMeshIsAUsageError() {
    Run nowhere = run("sleep", "http://httpbin.bar:8000/ip");
    Run resolveInMesh = run("sleep", "http://httpbin.bar:8000/ip", "--config", config.toString(),
        "--resolve", "httpbin.bar:8000=127.0.0.1:1");

    assertThat(nowhere.exitCode()).isEqualTo(2);
    assertThat(nowhere.err()).contains("XDS_ADDR", "WEFT_CONFIG_DIR");
    assertThat(resolveInMesh.exitCode()).isEqualTo(2);
    assertThat(resolveInMesh.err()).contains("--resolve is for --legacy");
  }

  @Test
  void httpbinThatCannotJoinTheMeshSaysWhyAndExits() {
    Run run = run("httpbin", "--port", "0", "--config", config.resolve("missing").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("could not join the mesh", "missing");
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private record Run(int exitCode, String out, String err) {}

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
