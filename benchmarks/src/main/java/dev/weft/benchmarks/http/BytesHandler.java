package dev.weft.benchmarks.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Answers {@code /bytes/N} with N bytes, the same for every server the benchmark compares. */
@Sharable
final class BytesHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String PREFIX = "/bytes/";
  private static final int MAX = 1 << 20;
  private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer(MAX).writeZero(MAX).asReadOnly());

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    int length = request.uri().startsWith(PREFIX)
        ? Math.min(MAX, Integer.parseInt(request.uri().substring(PREFIX.length()))) : 0;
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK, ZEROS.retainedSlice(0, length));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
