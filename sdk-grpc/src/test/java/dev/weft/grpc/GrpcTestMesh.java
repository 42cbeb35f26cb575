package dev.weft.grpc;

import com.google.protobuf.StringValue;
import dev.weft.mesh.Mesh;
import dev.weft.testing.MeshYaml;
import dev.weft.tls.MeshKeyManager;
import dev.weft.tls.MeshTrustManager;
import dev.weft.tls.PeerAuthorizer;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A folder of Istio YAML that a test's workloads run on locally, and the servers, channels and
 * meshes it started, closed together.
 */
final class GrpcTestMesh implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final int CONTAINER_PORT = 80;

  private final Path folder;
  private final List<AutoCloseable> resources = new ArrayList<>();

  GrpcTestMesh(Path folder) {
    this.folder = folder;
  }

  /** Replaces the mesh's configuration atomically, as a deployment tool would. */
  GrpcTestMesh write(String... documents) throws IOException {
    MeshYaml.write(folder, documents);
    return this;
  }

  /** A started workload {@code app} in {@code namespace}, serving container port 80. */
  Mesh workload(String namespace, String app) throws IOException {
    Mesh mesh = Mesh.builder().namespace(namespace).serviceAccount(app)
        .labels(Map.of("app", app)).servePort(CONTAINER_PORT)
        .localConfig(folder).startupTimeout(WAIT).build().start();
    resources.add(mesh);
    return mesh;
  }

  /** The test greeter on a free loopback port, behind Weft's credentials for container port 80. */
  Server weftGreeter(Mesh mesh) throws IOException {
    return greeter(WeftGrpc.serverCredentials(mesh, CONTAINER_PORT));
  }

  /** The test greeter with no mesh at all: plaintext only. */
  Server legacyGreeter() throws IOException {
    return greeter(InsecureServerCredentials.create());
  }

  private Server greeter(ServerCredentials credentials) throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            credentials)
        .addService(ServerInterceptors.intercept(new TestGreeter(),
            WeftGrpc.peerIdentityInterceptor()))
        .build().start();
    resources.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return server;
  }

  /** A channel to {@code server}'s port with {@code credentials}. */
  ManagedChannel channel(Server server, ChannelCredentials credentials) {
    return track(Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), credentials)
        .build());
  }

  /** A plaintext channel to {@code server}. */
  ManagedChannel plaintext(Server server) {
    return channel(server, InsecureChannelCredentials.create());
  }

  /** A channel to {@code server} with plain grpc-java TLS credentials holding {@code client}'s SVID. */
  ManagedChannel mtls(Server server, Mesh client) {
    return channel(server, TlsChannelCredentials.newBuilder()
        .keyManager(MeshKeyManager.create(client.certificates()))
        .trustManager(MeshTrustManager.create(client.certificates(), PeerAuthorizer.anyPeer()))
        .build());
  }

  ManagedChannel track(ManagedChannel channel) {
    resources.add(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  /** Who the greeter says called it: a SPIFFE ID, or {@code plaintext}. */
  static String identity(ManagedChannel channel) {
    return ClientCalls.blockingUnaryCall(channel, TestGreeter.IDENTITY,
        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
        StringValue.of("")).getValue();
  }

  @Override
  public void close() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  static String service(String name, String namespace, int targetPort) {
    return MeshYaml.service(name, namespace, "grpc", 8080, targetPort);
  }

  static String peerAuthentication(String namespace, String app, String mode) {
    return MeshYaml.peerAuthentication(namespace, app, mode);
  }

  /** An endpoint of Service {@code app} at 127.0.0.1:{@code port}; a {@code meshEndpoint} gets mesh mTLS. */
  static String workloadEntry(String namespace, String app, int port, boolean meshEndpoint) {
    return MeshYaml.workloadEntry(app, namespace, app, app, "grpc", port, meshEndpoint);
  }

  static String destinationRule(String namespace, String host, String tlsMode) {
    return MeshYaml.destinationRule(host.split("\\.")[0], namespace, host,
        "{tls: {mode: " + tlsMode + "}}");
  }
}
