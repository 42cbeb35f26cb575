package dev.weft.samples.greeter;

import dev.weft.grpc.WeftGrpc;
import dev.weft.mesh.Mesh;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The greeter sample workload, started in-process: a grpc-java server, in the mesh through
 * Weft's credentials or as a legacy server with no Weft at all. The same service answers both.
 */
public final class GreeterServer implements AutoCloseable {
  private final Server server;

  private GreeterServer(InetSocketAddress bindAddress, ServerCredentials credentials)
      throws IOException {
    this.server = NettyServerBuilder.forAddress(bindAddress, credentials)
        .addService(ServerInterceptors.intercept(new GreeterService(),
            WeftGrpc.peerIdentityInterceptor()))
        .build()
        .start();
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
  }
}
