package dev.weft.http.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Sets {@code x-forwarded-client-cert} on every request as a sidecar does (APPEND_FORWARD): this
 * hop's element appended on mTLS, the client's header removed on plaintext.
 */
final class XfccHandler extends ChannelInboundHandlerAdapter {
  private final InboundConnection connection;

  XfccHandler(InboundConnection connection) {
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      Xfcc.appendForward(request.headers(), connection.xfccElement());
    }
    ctx.fireChannelRead(msg);
  }
}
