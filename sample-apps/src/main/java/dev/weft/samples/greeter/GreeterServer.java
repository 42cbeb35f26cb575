package dev.weft.samples.greeter;

import dev.weft.grpc.GrpcXds;
import dev.weft.grpc.WeftGrpc;
import dev.weft.mesh.Mesh;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.xds.XdsServerBuilder;
import io.grpc.xds.XdsServerCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The greeter sample workload, started in-process: a grpc-java server, in the mesh through
 * Weft's credentials or grpc-java's own xDS, or as a legacy server with no Weft at all. The same
 * service answers every way.
 */
public final class GreeterServer implements AutoCloseable {
  private final Server server;
  private final Optional<GrpcXds> xds;

  private GreeterServer(ServerBuilder<?> builder, Optional<GrpcXds> xds) throws IOException {
    this.server = builder
        .addService(ServerInterceptors.intercept(new GreeterService(),
            WeftGrpc.peerIdentityInterceptor()))
        .build()
        .start();
    this.xds = xds;
  }

  private GreeterServer(InetSocketAddress bindAddress, ServerCredentials credentials)
      throws IOException {
    this(NettyServerBuilder.forAddress(bindAddress, credentials), Optional.empty());
  }

  /**
   * The greeter as grpc-java's own xDS server ({@code XdsServerBuilder}) on {@code mesh}'s
   * workload, which serves {@code bindAddress}: grpc-java applies the policy it gets over xDS
   * (PERMISSIVE as plaintext only). Turns xDS on for the process, which is done once.
   */
  public static GreeterServer withXds(Mesh mesh, InetSocketAddress bindAddress)
      throws IOException {
    GrpcXds xds = WeftGrpc.enableXds(mesh);
    try {
      return new GreeterServer(XdsServerBuilder.forAddress(
          Objects.requireNonNull(bindAddress, "bindAddress"),
          XdsServerCredentials.create(InsecureServerCredentials.create())), Optional.of(xds));
    } catch (IOException | RuntimeException e) {
      xds.close();
      throw e;
    }
  }

  /**
   * The greeter in the mesh: serves container port {@code containerPort} of {@code mesh}'s
   * workload (started) on {@code bindAddress}, as its PeerAuthentication says.
   */
  public static GreeterServer withWeft(Mesh mesh, int containerPort,
      InetSocketAddress bindAddress) throws IOException {
    return new GreeterServer(Objects.requireNonNull(bindAddress, "bindAddress"),
        WeftGrpc.serverCredentials(mesh, containerPort));
  }

  /** The greeter with no mesh: plaintext on {@code bindAddress}. */
  public static GreeterServer legacy(InetSocketAddress bindAddress) throws IOException {
    return new GreeterServer(Objects.requireNonNull(bindAddress, "bindAddress"),
        InsecureServerCredentials.create());
  }

  /** The port it listens on (the bound one, when asked for port 0). */
  public int port() {
    return server.getPort();
  }

  /** Stops listening and ends every call. */
  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    xds.ifPresent(GrpcXds::close);
  }
}
