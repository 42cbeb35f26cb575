package dev.weft.http.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;

/** The ways a Weft server turns a connection away. */
final class Refusals {
  private static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\n"
      + "content-length: 11\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nBad Request")
      .getBytes(StandardCharsets.US_ASCII);

  private Refusals() {}

  /** Resets the connection (SO_LINGER 0, then close), as a sidecar does when no chain matches. */
  static void reset(Channel channel) {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close();
  }

  /** Answers like a plaintext HTTP server given bytes it cannot parse: 400, then close. */
  static void badRequest(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.wrappedBuffer(BAD_REQUEST))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
