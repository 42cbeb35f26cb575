package dev.weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.weft.annotation.PeerAuthentication;
import dev.weft.annotation.RequireMutualTls;
import dev.weft.controlplane.cli.StatusCommand;
import dev.weft.controlplane.cli.WeftCommandLine;
import dev.weft.identity.SpiffeId;
import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import dev.weft.policy.MtlsMode;
import dev.weft.testing.MeshYaml;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.xds.internal.NodeMetadata;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.XdsNames;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy a workload authored, sent in its node metadata over real xDS to the Weft control
 * plane: resolved against the configuration, served back, and shown by {@code weft status}.
 */
class AuthoredPolicyTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CONTROLLER =
      AuthoredPolicyTest.class.getCanonicalName() + ".HttpbinController";
  private static final String APP = AuthoredPolicyTest.class.getCanonicalName() + ".HttpbinApp";
  private static final String CONFIG = String.join("---\n", MeshYaml.service("httpbin", "bar"),
      MeshYaml.peerAuthentication("bar", "httpbin", MtlsMode.DISABLE));

  @PeerAuthentication(mode = MtlsMode.PERMISSIVE)
  static final class HttpbinController {}

  @RequireMutualTls
  static final class HttpbinApp {}

  @TempDir Path dir;
  private ControlPlane controlPlane;
  private final List<Mesh> meshes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), CONFIG);
    controlPlane = ControlPlane.newBuilder()
        .configDirectory(config)
        .port(0)
        .plaintextPort(0)
        .debugPort(0)
        .stateDirectory(dir.resolve("state"))
        .registrationGrace(Duration.ofMillis(300))
        .debounce(Duration.ofMillis(20))
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    meshes.forEach(Mesh::close);
    controlPlane.close();
  }

  @Test
  void theFloorAWorkloadSendsRaisesTheControlPlanesPolicyAndStatusShowsIt() throws Exception {
    Mesh httpbin = join(Mesh.builder().namespace("bar").serviceAccount("httpbin")
        .labels(Map.of("app", "httpbin"))
        .servePort(80, new InetSocketAddress("127.0.0.1", 18080))
        .workloadPolicy(WorkloadPolicy.fromAnnotations(
            List.of(HttpbinController.class, HttpbinApp.class))),
        "spiffe://cluster.local/ns/bar/sa/httpbin");
    Mesh sleep = join(Mesh.builder().namespace("foo").serviceAccount("sleep")
        .labels(Map.of("app", "sleep")), "spiffe://cluster.local/ns/foo/sa/sleep");
    String raised = "PeerAuthentication bar/httpbin: workload-level DISABLE, raised to STRICT by"
        + " @RequireMutualTls on " + APP;

    assertThat(httpbin.inboundPolicy(80)).hasValueSatisfying(policy -> {
      assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
      assertThat(policy.because()).containsExactly(raised, "@PeerAuthentication on "
          + CONTROLLER + ": PERMISSIVE is overridden by PeerAuthentication bar/httpbin, which"
          + " selects httpbin.bar");
    });
    assertThat(sleep.awaitOutboundRoute("httpbin.bar", 8000, WAIT).orElseThrow().endpoints())
        .singleElement().satisfies(endpoint -> {
          assertThat(endpoint.tls()).isInstanceOf(UpstreamTls.MeshMtls.class);
          assertThat(endpoint.server().orElseThrow().reason()).isEqualTo(raised);
        });
    assertThat(controlPlane.awaitInSync(WAIT)).isTrue();
    assertThat(status()).contains(
        "authored by httpbin.bar: @PeerAuthentication on " + CONTROLLER + ": PERMISSIVE",
        "authored by httpbin.bar: @RequireMutualTls on " + APP,
        "inbound of httpbin.bar: STRICT -- " + raised,
        "config warning: @PeerAuthentication on " + CONTROLLER + " of httpbin.bar is overridden"
            + " by PeerAuthentication bar/httpbin, which selects the workload");
  }

  @Test
  void aNodeWhoseAuthoredPolicyCannotBeReadIsRefusedNamingTheField() throws Exception {
    Node node = NodeMetadata.toNode(new WorkloadNode(
        WorkloadNode.nodeId("127.0.0.1", "httpbin", "bar"), "bar", "httpbin",
        Map.of("app", "httpbin"), "httpbin", List.of("127.0.0.1"), "Kubernetes", Map.of(),
        Optional.of("0.1.0"), Map.of()));
    Node malformed = node.toBuilder().setMetadata(node.getMetadata().toBuilder().putFields(
        NodeMetadata.WEFT_WORKLOAD_POLICY, Value.newBuilder().setStructValue(Struct.newBuilder()
            .putFields("version", Value.newBuilder().setNumberValue(1).build())
            .putFields("requireMutualTls", Value.newBuilder().setBoolValue(true).build()))
            .build())).build();
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1",
        controlPlane.plaintextPort(), InsecureChannelCredentials.create()).build();
    try (AdsTestClient client = new AdsTestClient(channel, malformed)) {
      client.request(XdsNames.LISTENER, List.of("xds.istio.io/grpc/lds/inbound/0.0.0.0:80"),
          null);

      Status ended = client.ended.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(ended.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(ended.getDescription()).isEqualTo("node metadata"
          + " WEFT_WORKLOAD_POLICY.requireMutualTls is not a struct but a bool");
      assertThat(controlPlane.status().workloads()).isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private Mesh join(Mesh.Builder builder, String identity) throws Exception {
    SpiffeId id = SpiffeId.parse(identity);
    Path token = dir.resolve(id.serviceAccount().orElseThrow() + ".token");
    controlPlane.tokens().writeTokenFile(id, token);
    Mesh mesh = builder
        .controlPlane("127.0.0.1:" + controlPlane.port())
        .rootCertificates(controlPlane.certificateAuthority().rootCertificates())
        .tokenFile(token)
        .startupTimeout(WAIT)
        .build()
        .start();
    meshes.add(mesh);
    return mesh;
  }

  private String status() {
    StringWriter out = new StringWriter();
    WeftCommandLine.create(new StatusCommand()).setOut(new PrintWriter(out, true))
        .execute("--control-plane", "127.0.0.1:" + controlPlane.debugPort());
    return out.toString();
  }
}
