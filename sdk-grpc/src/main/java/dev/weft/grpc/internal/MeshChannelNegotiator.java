package dev.weft.grpc.internal;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.UpstreamTls;
import io.grpc.Attributes;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import java.net.SocketAddress;

/**
 * Connects a gRPC channel to mesh endpoints, each with its own TLS: mesh mTLS verifying the
 * server's SPIFFE ID, or plaintext, as the route says. The endpoint comes with the address when
 * the mesh resolver resolved it ({@code weft:///}); otherwise it is looked up from the channel's
 * authority and the address connected to.
 *
 * <p>This and {@link EndpointNegotiation} use grpc-netty's internal negotiator API
 * ({@code Internal*} classes of grpc-netty-shaded); {@code MeshChannelTest} pins the behaviour
 * they rely on.
 */
public final class MeshChannelNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
  private static final AsciiString SCHEME = AsciiString.of("https");

  private final MeshTlsContexts contexts;
  private final AuthorityRoutes authorityRoutes;

  public MeshChannelNegotiator(Mesh mesh) {
    this.contexts = new MeshTlsContexts(mesh.certificates());
    this.authorityRoutes = new AuthorityRoutes(mesh);
  }

  @Override
  public AsciiString scheme() {
    return SCHEME;
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return InternalProtocolNegotiators.waitUntilActiveHandler(
        new EndpointNegotiation(this, grpcHandler), grpcHandler.getNegotiationLogger());
  }

  @Override
  public void close() {}

  /** Where a connection goes, as far as the mesh knows now. */
  AuthorityRoutes.Destination destination(Attributes addressAttributes, String authority,
      SocketAddress remote) {
    RoutedEndpoint routed = addressAttributes.get(RoutedEndpoint.KEY);
    if (routed != null) {
      return new AuthorityRoutes.Destination.Endpoint(routed);
    }
    return authorityRoutes.destination(authority, remote);
  }

  /** Gives up waiting for the route of {@code authority}. */
  void settle(String authority) {
    authorityRoutes.settle(authority);
  }

  /** grpc-java's negotiation for the TLS of {@code routed}. */
  InternalProtocolNegotiator.ProtocolNegotiator negotiation(RoutedEndpoint routed) {
    UpstreamTls tls = routed.endpoint().tls();
    if (tls instanceof UpstreamTls.MeshMtls mtls) {
      return InternalProtocolNegotiators.tls(contexts.client(mtls.expected(), mtls.trustDomain()),
          mtls.sni().orElse(null), null);
    }
    if (tls instanceof UpstreamTls.Plaintext) {
      return InternalProtocolNegotiators.plaintext();
    }
    throw ConnectionFailures.refused(routed, "Weft's gRPC client does not originate the TLS a"
        + " DestinationRule asks for (SIMPLE or MUTUAL) and will not send plaintext instead");
  }

  /** A destination outside the mesh: plaintext, as a sidecar passes it through. */
  InternalProtocolNegotiator.ProtocolNegotiator passthrough() {
    return InternalProtocolNegotiators.plaintext();
  }
}
