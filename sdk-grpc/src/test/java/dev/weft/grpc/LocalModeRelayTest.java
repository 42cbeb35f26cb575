package dev.weft.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.protobuf.StringValue;
import dev.weft.grpc.xds.internal.CertificateFiles;
import dev.weft.grpc.xds.internal.XdsBootstrap;
import dev.weft.grpc.xds.internal.XdsRelay;
import dev.weft.mesh.InternalMesh;
import dev.weft.mesh.Mesh;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.stub.ClientCalls;
import io.grpc.xds.XdsChannelCredentials;
import io.grpc.xds.XdsNameResolverProvider;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay over a Mesh with no control plane: grpc-java's xDS client and server are answered
 * from the local folder's translation, with mTLS from the local CA. The bootstrap is given per
 * channel and server here, since grpc-java's process-wide one belongs to {@code GrpcXdsTest}.
 */
class LocalModeRelayTest {
  @TempDir Path config;

  @Test
  @SuppressWarnings({"deprecation", "unchecked"}) // nameResolverFactory: a per-channel bootstrap.
  void aLocalModeMeshAnswersGrpcJavasXdsClientAndServerWithMtls() throws Exception {
    InetSocketAddress address;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      address = new InetSocketAddress("127.0.0.1", probe.getLocalPort());
    }
    Files.writeString(config.resolve("mesh.yaml"), """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: default, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: greeter, namespace: bar}
        spec:
          selector: {app: greeter}
          ports: [{name: grpc, port: 8080, targetPort: 9000}]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: greeter, namespace: bar}
        spec:
          host: greeter.bar.svc.cluster.local
          trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
        """);
    try (Mesh mesh = Mesh.builder().localConfig(config).namespace("bar")
            .serviceAccount("greeter").labels(Map.of("app", "greeter"))
            .servePort(9000, address).build().start();
        CertificateFiles files = CertificateFiles.write(mesh.certificates());
        XdsRelay relay = XdsRelay.start(InternalMesh.xdsMultiplexer(mesh))) {
      Map<String, Object> bootstrap = new Gson().fromJson(XdsBootstrap.json(
          InternalMesh.node(mesh), relay.target(), files, Duration.ofSeconds(10)), Map.class);
      Server server = XdsServerBuilder.forAddress(address,
              XdsServerCredentials.create(InsecureServerCredentials.create()))
          .overrideBootstrapForTest(bootstrap)
          .addService(ServerInterceptors.intercept(new TestGreeter(),
              WeftGrpc.peerIdentityInterceptor()))
          .build().start();
      ManagedChannel channel = Grpc.newChannelBuilder(
              "weft-local:///greeter.bar.svc.cluster.local:8080",
              XdsChannelCredentials.create(InsecureChannelCredentials.create()))
          .nameResolverFactory(XdsNameResolverProvider.createForTest("weft-local", bootstrap))
          .build();
      try {
        String seen = ClientCalls.blockingUnaryCall(channel, TestGreeter.IDENTITY,
            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS),
            StringValue.of("")).getValue();

        assertThat(seen).isEqualTo("spiffe://cluster.local/ns/bar/sa/greeter");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
