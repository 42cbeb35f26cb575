package dev.weft.http.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After the mTLS handshake, installs HTTP/2 or HTTP/1.1 as ALPN chose; HTTP/1.1 without ALPN. */
final class AlpnRouter extends ApplicationProtocolNegotiationHandler {
  private final OwnHttpStacks stacks;

  AlpnRouter(OwnHttpStacks stacks) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.stacks = stacks;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    InboundConnection connection = InboundConnection.of(ctx.channel()).orElseThrow(
        () -> new IllegalStateException("an mTLS connection that was not admitted"));
    if (AlpnProtocols.isHttp2(protocol)) {
      HttpStacks.http2(ctx.pipeline(), connection, stacks.application());
    } else {
      HttpStacks.http1(ctx.pipeline(), connection, stacks.application());
    }
  }
}
