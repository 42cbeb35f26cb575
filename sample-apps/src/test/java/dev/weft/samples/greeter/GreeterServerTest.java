package dev.weft.samples.greeter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.mesh.Mesh;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The greeter answers unary and streaming calls, with and without Weft. */
class GreeterServerTest {
  @TempDir Path folder;

  @Test
  void aLegacyGreeterAnswersPlainClients() throws Exception {
    try (GreeterServer server = GreeterServer.legacy(new InetSocketAddress("127.0.0.1", 0));
        GreeterClient client = GreeterClient.legacy(Map.of("greeter.legacy:8080",
            new InetSocketAddress("127.0.0.1", server.port())))) {
      assertThat(client.call("greeter.legacy", 8080).value()).isEqualTo("200");
      assertThat(client.identity("greeter.legacy", 8080).value()).isEqualTo("plaintext");
      assertThat(client.greetings("greeter.legacy", 8080, "Ada"))
          .containsExactly("Hello #1, Ada!", "Hello #2, Ada!", "Hello #3, Ada!");
    }
  }

  @Test
  void aMeshGreeterUnderStrictStreamsToAMeshClientAndSeesItsIdentity() throws Exception {
    callAMeshGreeter(false);
  }

  @Test
  void anXdsGreeterUnderStrictAnswersAMeshClient() throws Exception {
    callAMeshGreeter(true);
  }

  private void callAMeshGreeter(boolean xds) throws Exception {
    InetSocketAddress address;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }
    Files.writeString(folder.resolve("mesh.yaml"), """
        apiVersion: v1
        kind: Service
        metadata: {name: greeter, namespace: bar}
        spec:
          selector: {app: greeter}
          ports: [{name: grpc, port: 8080, targetPort: 80}]
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: greeter, namespace: bar}
        spec:
          address: 127.0.0.1
          labels: {app: greeter, security.istio.io/tlsMode: istio}
          serviceAccount: greeter
          ports: {grpc: %d}
        """.formatted(address.getPort()));
    try (Mesh greeter = Mesh.builder().namespace("bar").serviceAccount("greeter")
            .labels(Map.of("app", "greeter")).servePort(80, address).localConfig(folder)
            .startupTimeout(Duration.ofSeconds(10)).build().start();
        GreeterServer server = xds ? GreeterServer.withXds(greeter, address)
            : GreeterServer.withWeft(greeter, 80, address);
        Mesh sleep = Mesh.builder().namespace("foo").serviceAccount("sleep").localConfig(folder)
            .startupTimeout(Duration.ofSeconds(10)).build().start();
        GreeterClient client = GreeterClient.withWeft(sleep)) {
      assertThat(client.identity("greeter.bar", 8080).value())
          .isEqualTo("spiffe://cluster.local/ns/foo/sa/sleep");
      List<String> greetings = client.greetings("greeter.bar", 8080, "Grace");
      assertThat(greetings).hasSize(GreeterService.GREETINGS_PER_STREAM)
          .allSatisfy(greeting -> assertThat(greeting).endsWith(", Grace!"));
    }
  }
}
