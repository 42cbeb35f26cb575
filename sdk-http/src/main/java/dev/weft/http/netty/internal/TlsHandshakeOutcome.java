package dev.weft.http.netty.internal;

import dev.weft.identity.PeerIdentity;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right after the mTLS handshake: admits the connection with the peer's verified identity, or,
 * if the handshake failed (no client certificate, one that does not verify, a timeout), counts
 * and closes it. Until then it keeps handshake errors from reaching the application.
 */
final class TlsHandshakeOutcome extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshakeOutcome.class);

  private final InboundPort port;
  private boolean failed;

  TlsHandshakeOutcome(InboundPort port) {
    this.port = port;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (!(event instanceof SslHandshakeCompletionEvent completion)) {
      ctx.fireUserEventTriggered(event);
      return;
    }
    if (!completion.isSuccess()) {
      refuse(ctx, "handshake failed: " + completion.cause());
      return;
    }
    InboundConnection connection;
    try {
      PeerIdentity peer = PeerIdentity.of(ctx.pipeline().get(SslHandler.class).engine().getSession());
      connection = InboundConnection.mtls(port, peer);
    } catch (RuntimeException e) {
      refuse(ctx, "the peer's identity cannot be read: " + e);
      return;
    }
    port.admit(ctx.channel(), connection);
    port.counters().acceptedMtls.increment();
    ctx.fireUserEventTriggered(event);
    ctx.pipeline().remove(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The handshake's own failure event follows (or came first); the error stays here.
    log.debug("TLS error from {} on port {} before the handshake completed",
        ctx.channel().remoteAddress(), port.port(), cause);
    ctx.close();
  }

  private void refuse(ChannelHandlerContext ctx, String reason) {
    if (!failed) {
      failed = true;
      port.counters().refusedTls.increment();
      port.logRefusal("refused TLS", ctx.channel().remoteAddress(), reason);
    }
    ctx.close();
  }
}
