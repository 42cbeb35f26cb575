package dev.weft.grpc;

import dev.weft.grpc.internal.MeshChannelNegotiator;
import dev.weft.grpc.internal.MeshNameResolverProvider;
import dev.weft.grpc.internal.MeshServerNegotiator;
import dev.weft.grpc.internal.PeerIdentityInterceptor;
import dev.weft.identity.PeerIdentity;
import dev.weft.mesh.Mesh;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import java.util.Objects;

/**
 * grpc-java in the mesh: credentials that enforce Weft's policy on servers and channels, a
 * resolver for mesh services, and the caller's identity in handlers.
 */
public final class WeftGrpc {
  private static final ServerInterceptor PEER_IDENTITY = new PeerIdentityInterceptor();

  private WeftGrpc() {}

  /**
   * Credentials for a server on container port {@code containerPort} of a started mesh: it
   * accepts what the port's policy accepts — mesh mTLS (STRICT), plaintext (DISABLE) or both on
   * the same port (PERMISSIVE) — and follows policy and certificate changes while it runs.
   * Use with {@link Grpc#newServerBuilderForPort}.
   */
  public static ServerCredentials serverCredentials(Mesh mesh, int containerPort) {
    Objects.requireNonNull(mesh, "mesh");
    return InternalNettyServerCredentials.create(
        executorPool -> new MeshServerNegotiator(mesh, containerPort));
  }

  /**
   * Credentials for a channel to mesh services: each connection uses the TLS its endpoint's
   * route says (mesh mTLS verifying the server's SPIFFE ID, or plaintext), and a call that fails
   * before a response says which policy decided it. A target the mesh has no route for is
   * reached in plaintext, as a sidecar passes it through.
   */
  public static ChannelCredentials channelCredentials(Mesh mesh) {
    Objects.requireNonNull(mesh, "mesh");
    return InternalNettyChannelCredentials.create(new InternalProtocolNegotiator.ClientFactory() {
      @Override
      public InternalProtocolNegotiator.ProtocolNegotiator newNegotiator() {
        return new MeshChannelNegotiator(mesh);
      }

      @Override
      public int getDefaultPort() {
        return 443;
      }
    });
  }

  /**
   * A channel builder for {@code target} resolved through the mesh: {@code host:port} (or
   * {@code weft:///host:port}) becomes the route's endpoints, balanced as its DestinationRule
   * says, with {@link #channelCredentials}; other schemes ({@code dns:///}) resolve as usual.
   */
  public static ManagedChannelBuilder<?> newChannelBuilder(Mesh mesh, String target) {
    Objects.requireNonNull(mesh, "mesh");
    String resolved = target.contains(":/") ? target
        : MeshNameResolverProvider.SCHEME + ":///" + target;
    return Grpc.newChannelBuilder(resolved, channelCredentials(mesh))
        .setNameResolverArg(MeshNameResolverProvider.MESH, mesh);
  }

  /**
   * Makes grpc-java's own xDS ({@code xds:///} channels, {@code XdsServerBuilder}) work on
   * {@code mesh} with no agent; see {@link GrpcXds}. Once per process.
   */
  public static GrpcXds enableXds(Mesh mesh) {
    return GrpcXds.enable(mesh);
  }

  /**
   * An interceptor that makes the caller's identity available to handlers through
   * {@link #peerIdentity()}; add it to every service of a server.
   */
  public static ServerInterceptor peerIdentityInterceptor() {
    return PEER_IDENTITY;
  }

  /**
   * The identity the caller of the current call proved with mutual TLS; {@link PeerIdentity#none()}
   * for a plaintext caller, outside a call, or without {@link #peerIdentityInterceptor()}.
   */
  public static PeerIdentity peerIdentity() {
    return PeerIdentityInterceptor.PEER_IDENTITY.get();
  }
}
