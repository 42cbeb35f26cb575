package dev.weft.grpc;

import static dev.weft.grpc.GrpcTestMesh.destinationRule;
import static dev.weft.grpc.GrpcTestMesh.identity;
import static dev.weft.grpc.GrpcTestMesh.peerAuthentication;
import static dev.weft.grpc.GrpcTestMesh.service;
import static dev.weft.grpc.GrpcTestMesh.workloadEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Channels with {@link WeftGrpc#channelCredentials} calling a Weft greeter under STRICT in
 * {@code bar} and a greeter with no mesh in {@code legacy}, as the routes say.
 */
class MeshChannelTest {
  private static final String CLIENT = "spiffe://cluster.local/ns/foo/sa/sleep";

  @TempDir
  Path folder;
  private GrpcTestMesh mesh;
  private Mesh sleep;
  private Server strictGreeter;
  private Server legacyGreeter;

  @BeforeEach
  void start() throws Exception {
    mesh = new GrpcTestMesh(folder);
    legacyGreeter = mesh.legacyGreeter();
    // The server's workload is known before its port: write its policy, then its endpoints.
    mesh.write(config());
    strictGreeter = mesh.weftGreeter(mesh.workload("bar", "greeter"));
    mesh.write(config());
    sleep = mesh.workload("foo", "sleep");
  }

  @AfterEach
  void stop() throws Exception {
    mesh.close();
  }

  private String[] config(String... more) {
    List<String> documents = new ArrayList<>(List.of(
        service("greeter", "bar", 80), peerAuthentication("bar", "greeter", "STRICT"),
        service("greeter", "legacy", 80),
        workloadEntry("legacy", "greeter", legacyGreeter.getPort(), false)));
    if (strictGreeter != null) {
      documents.add(workloadEntry("bar", "greeter", strictGreeter.getPort(), true));
    }
    documents.addAll(List.of(more));
    return documents.toArray(String[]::new);
  }

  /** Waits until sleep's route to {@code host:8080} sends {@code tls}: the folder is followed, not read per call. */
  private void awaitTls(String host, Class<? extends UpstreamTls> tls) {
    await().atMost(GrpcTestMesh.WAIT).until(() -> sleep.outboundRoute(host, 8080)
        .map(route -> route.endpoints().stream().allMatch(e -> tls.isInstance(e.tls())))
        .orElse(false));
  }

  private ManagedChannel channel(String target) {
    return mesh.track(WeftGrpc.newChannelBuilder(sleep, target).build());
  }

  @Test
  void autoMtlsReachesAStrictServerWithTheClientsIdentity() {
    assertThat(identity(channel("greeter.bar:8080"))).isEqualTo(CLIENT);
    assertThat(identity(channel("weft:///greeter.bar.svc.cluster.local:8080"))).isEqualTo(CLIENT);
  }

  @Test
  void aServerWithoutTheMeshIsReachedInPlaintext() {
    assertThat(identity(channel("greeter.legacy:8080"))).isEqualTo("plaintext");
  }

  @Test
  void plaintextToAStrictServerFailsNamingThePeerAuthentication() throws Exception {
    mesh.write(config(destinationRule("bar", "greeter.bar.svc.cluster.local", "DISABLE")));
    awaitTls("greeter.bar", UpstreamTls.Plaintext.class);

    assertThatThrownBy(() -> identity(channel("greeter.bar:8080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription())
              .startsWith("greeter.bar:8080 (127.0.0.1:" + strictGreeter.getPort() + ")")
              .contains("closed the plaintext connection")
              .contains("PeerAuthentication bar/greeter")
              .contains("DestinationRule bar/greeter");
        });
  }

  @Test
  void meshMtlsToAServerWithoutTheMeshFailsNamingTheDestinationRule() throws Exception {
    mesh.write(config(destinationRule("legacy", "greeter.legacy.svc.cluster.local",
        "ISTIO_MUTUAL")));
    awaitTls("greeter.legacy", UpstreamTls.MeshMtls.class);

    assertThatThrownBy(() -> identity(channel("greeter.legacy:8080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription())
              .contains("failed the mesh mTLS handshake")
              .contains("DestinationRule legacy/greeter");
        });
  }

  @Test
  void aServiceTheMeshDoesNotKnowFailsSayingSo() {
    assertThatThrownBy(() -> identity(channel("nothing.bar:8080")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("no mesh route to nothing.bar:8080");
        });
  }

  @Test
  void aChannelToAnAddressUsesTheRouteOfItsAuthority() {
    ManagedChannel channel = mesh.track(Grpc.newChannelBuilderForAddress("127.0.0.1",
            strictGreeter.getPort(), WeftGrpc.channelCredentials(sleep))
        .overrideAuthority("greeter.bar:8080").build());

    assertThat(identity(channel)).isEqualTo(CLIENT);
  }

  @Test
  void aChannelToAnAddressOutsideTheMeshPassesThroughInPlaintext() {
    ManagedChannel channel = mesh.track(Grpc.newChannelBuilderForAddress("127.0.0.1",
        legacyGreeter.getPort(), WeftGrpc.channelCredentials(sleep)).build());

    assertThat(identity(channel)).isEqualTo("plaintext");
  }
}
