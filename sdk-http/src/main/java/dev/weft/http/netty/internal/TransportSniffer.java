package dev.weft.http.netty.internal;

import dev.weft.mesh.InboundPolicy;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every connection: its first bytes say TLS or plaintext, and the port's
 * policy at that moment (read once) decides whether the connection goes on, as an Istio sidecar
 * decides with its filter chains.
 *
 * <ul>
 *   <li>TLS, and the policy accepts mTLS (STRICT, PERMISSIVE): the mTLS handshake, which needs a
 *       client certificate that verifies as a mesh SVID.
 *   <li>TLS under DISABLE: answered as a plaintext HTTP server answers bytes it cannot parse,
 *       400 and close.
 *   <li>Plaintext, and the policy accepts it (PERMISSIVE, DISABLE): HTTP/2 by prior knowledge or
 *       HTTP/1.1.
 *   <li>Plaintext under STRICT, anything with no policy yet, or anything going wrong while
 *       deciding: a TCP reset. Nothing falls back to plaintext.
 * </ul>
 *
 * <p>Unlike a sidecar under PERMISSIVE, the TLS path does not also require an {@code istio*}
 * ALPN: any TLS client with a valid mesh certificate is mesh mTLS, so plain HTTP clients with a
 * Weft certificate (curl, OkHttp) can call a PERMISSIVE port too.
 */
final class TransportSniffer extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(TransportSniffer.class);
  /** A TLS record header, enough for {@link SslHandler#isEncrypted}. */
  private static final int TLS_RECORD_HEADER_LENGTH = 5;
  /** How long a connection may stay silent before it is decided on, as Envoy's listener filters. */
  static final Duration DECISION_TIMEOUT = Duration.ofSeconds(15);

  private final InboundPort port;
  private boolean refused;
  private ScheduledFuture<?> deadline;

  TransportSniffer(InboundPort port) {
    this.port = port;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    deadline = ctx.executor().schedule(() -> {
      log.debug("closing a connection from {} on port {}: no first bytes within {} s",
          ctx.channel().remoteAddress(), port.port(), DECISION_TIMEOUT.toSeconds());
      ctx.close();
    }, DECISION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    deadline.cancel(false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (refused) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < TLS_RECORD_HEADER_LENGTH) {
      return;
    }
    Transport transport = Transport.PLAINTEXT;
    try {
      transport = SslHandler.isEncrypted(in, false) ? Transport.MTLS : Transport.PLAINTEXT;
      Optional<InboundPolicy> policy = port.policy();
      if (policy.isPresent() && transport.allowedBy(policy.get())) {
        accept(ctx, transport);
      } else if (transport == Transport.MTLS && policy.isPresent()) {
        refuse(ctx, in, transport, "answered TLS with 400", policy.get().reason());
        Refusals.badRequest(ctx);
      } else {
        refuse(ctx, in, transport, "refused " + transport.describe(), port.refusalReason());
        Refusals.reset(ctx.channel());
      }
    } catch (RuntimeException e) {
      refuse(ctx, in, transport, "refused " + transport.describe(), "failed to decide: " + e);
      Refusals.reset(ctx.channel());
    }
  }

  /** Fails closed: an error before the decision (a reset by the client, say) ends the connection. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing a connection from {} on port {} before deciding on it",
        ctx.channel().remoteAddress(), port.port(), cause);
    ctx.close();
  }

  private void accept(ChannelHandlerContext ctx, Transport transport) {
    ChannelPipeline pipeline = ctx.pipeline();
    if (transport == Transport.MTLS) {
      pipeline.addAfter(ctx.name(), "weft-http", port.serving().afterHandshake());
      pipeline.addAfter(ctx.name(), "weft-handshake", new TlsHandshakeOutcome(port));
      pipeline.addAfter(ctx.name(), "weft-tls", port.mtlsContext().newHandler(ctx.alloc()));
    } else {
      InboundConnection connection = InboundConnection.plaintext(port);
      port.admit(ctx.channel(), connection);
      port.counters().acceptedPlaintext.increment();
      port.serving().plaintextAdmitted(pipeline, ctx.name(), connection);
    }
    // Removing a decoder hands the bytes it holds to the handlers just added.
    pipeline.remove(this);
  }

  private void refuse(ChannelHandlerContext ctx, ByteBuf in, Transport transport, String what,
      String reason) {
    refused = true;
    in.skipBytes(in.readableBytes());
    (transport == Transport.MTLS ? port.counters().refusedTls : port.counters().refusedPlaintext)
        .increment();
    port.logRefusal(what, ctx.channel().remoteAddress(), reason);
  }
}
