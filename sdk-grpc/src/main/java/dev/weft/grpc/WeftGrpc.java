package dev.weft.grpc;

import dev.weft.grpc.internal.PeerIdentityInterceptor;
import dev.weft.identity.PeerIdentity;
import io.grpc.ServerInterceptor;

/** grpc-java in the mesh: credentials that enforce Weft's policy, and the caller's identity. */
public final class WeftGrpc {
  private static final ServerInterceptor PEER_IDENTITY = new PeerIdentityInterceptor();

  private WeftGrpc() {}

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
