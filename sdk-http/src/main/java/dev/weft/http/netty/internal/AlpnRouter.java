package dev.weft.http.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After the mTLS handshake, installs HTTP/2 or HTTP/1.1 as ALPN chose; HTTP/1.1 without ALPN. */
final class AlpnRouter extends ApplicationProtocolNegotiationHandler {
  AlpnRouter() {
    super(ApplicationProtocolNames.HTTP_1_1);
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    InboundConnection connection = InboundConnection.of(ctx.channel()).orElseThrow(
        () -> new IllegalStateException("an mTLS connection that was not admitted"));
    if (AlpnProtocols.isHttp2(protocol)) {
      HttpStacks.http2(ctx.pipeline(), connection);
    } else {
      HttpStacks.http1(ctx.pipeline(), connection);
    }
  }
}
