package dev.weft.grpc.internal;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.Mesh;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.group.ChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.group.DefaultChannelGroup;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces one container port's {@link InboundPolicy} on a gRPC server: every connection is
 * looked at before grpc-java sees it (see {@link InboundGate}) and handed to grpc-java's own TLS
 * or plaintext negotiation, or closed. When the policy changes, open connections it no longer
 * allows are closed at once: STRICT never serves plaintext, not even for a moment.
 *
 * <p>This and {@link InboundGate} are the only classes that use grpc-netty's internal negotiator
 * API ({@code Internal*} classes of grpc-netty-shaded); {@code PermissiveServerTest} pins the
 * behaviour they rely on.
 */
public final class MeshServerNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
  private static final Logger log = LoggerFactory.getLogger(MeshServerNegotiator.class);
  private static final AsciiString SCHEME = AsciiString.of("https");

  private final Mesh mesh;
  private final int port;
  private final InternalProtocolNegotiator.ProtocolNegotiator tls;
  private final InternalProtocolNegotiator.ProtocolNegotiator plaintext =
      InternalProtocolNegotiators.serverPlaintext();
  private final ChannelGroup mtlsConnections =
      new DefaultChannelGroup("weft-mtls", GlobalEventExecutor.INSTANCE);
  private final ChannelGroup plaintextConnections =
      new DefaultChannelGroup("weft-plaintext", GlobalEventExecutor.INSTANCE);
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final Runnable policyListener = this::enforceOnOpenConnections;

  public MeshServerNegotiator(Mesh mesh, int port) {
    this.mesh = mesh;
    this.port = port;
    this.tls = InternalProtocolNegotiators.serverTls(
        new MeshTlsContexts(mesh.certificates()).server());
    mesh.addListener(policyListener);
  }

  @Override
  public AsciiString scheme() {
    return SCHEME;
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return InternalProtocolNegotiators.waitUntilActiveHandler(new InboundGate(this, grpcHandler),
        grpcHandler.getNegotiationLogger());
  }

  @Override
  public void close() {
    mesh.removeListener(policyListener);
  }

  /**
   * Admits {@code channel}, which opened with TLS or not, or says why the port refuses it. An
   * admitted channel is tracked before the policy is read, so a change in between closes it.
   */
  Optional<String> admit(Channel channel, boolean tlsConnection) {
    (tlsConnection ? mtlsConnections : plaintextConnections).add(channel);
    Optional<String> refusal = refusal(mesh.inboundPolicy(port), tlsConnection);
    refusal.ifPresent(reason -> report(channel, reason));
    return refusal;
  }

  /** grpc-java's negotiation for what the connection opened with. */
  InternalProtocolNegotiator.ProtocolNegotiator negotiation(boolean tlsConnection) {
    return tlsConnection ? tls : plaintext;
  }

  /** Why {@code policy} refuses a connection, or empty when it accepts it. */
  Optional<String> refusal(Optional<InboundPolicy> policy, boolean tlsConnection) {
    if (policy.isEmpty()) {
      return Optional.of("port " + port + " has no policy from the control plane yet");
    }
    InboundPolicy inbound = policy.get();
    if (tlsConnection ? inbound.acceptsMtls() : inbound.acceptsPlaintext()) {
      return Optional.empty();
    }
    return Optional.of((tlsConnection ? "TLS" : "plaintext") + " refused on port " + port + ": "
        + inbound.reason());
  }

  private void enforceOnOpenConnections() {
    Optional<InboundPolicy> policy = mesh.inboundPolicy(port);
    closeRefused(plaintextConnections, refusal(policy, false));
    closeRefused(mtlsConnections, refusal(policy, true));
  }

  private void closeRefused(ChannelGroup connections, Optional<String> refusal) {
    if (refusal.isPresent() && !connections.isEmpty()) {
      log.info("closing {} open connection(s): {}", connections.size(), refusal.get());
      connections.close();
    }
  }

  private void report(Channel channel, String reason) {
    if (reported.add(reason)) {
      log.warn("{} from {} (logged once; later refusals at DEBUG)", reason,
          channel.remoteAddress());
    } else {
      log.debug("{} from {}", reason, channel.remoteAddress());
    }
  }
}
