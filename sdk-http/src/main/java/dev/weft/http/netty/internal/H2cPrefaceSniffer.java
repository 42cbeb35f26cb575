package dev.weft.http.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a plaintext connection, installs HTTP/2 if it opens with the HTTP/2 connection preface
 * (h2c by prior knowledge), else HTTP/1.1.
 */
final class H2cPrefaceSniffer extends ByteToMessageDecoder {
  private static final Logger log = LoggerFactory.getLogger(H2cPrefaceSniffer.class);
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final OwnHttpStacks stacks;
  private final InboundConnection connection;

  H2cPrefaceSniffer(OwnHttpStacks stacks, InboundConnection connection) {
    this.stacks = stacks;
    this.connection = connection;
  }

  /** Fails closed: an error before the HTTP stack is in place ends the connection. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing a plaintext connection from {} before its HTTP stack was set up",
        ctx.channel().remoteAddress(), cause);
    ctx.close();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int seen = Math.min(in.readableBytes(), PREFACE.length);
    for (int i = 0; i < seen; i++) {
      if (in.getByte(in.readerIndex() + i) != PREFACE[i]) {
        HttpStacks.http1(ctx.pipeline(), connection, stacks.application());
        ctx.pipeline().remove(this);
        return;
      }
    }
    if (seen == PREFACE.length) {
      HttpStacks.http2(ctx.pipeline(), connection, stacks.application());
      ctx.pipeline().remove(this);
    }
  }
}
