package dev.weft.http.netty.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * Sets up each HTTP/2 stream of an admitted connection: HTTP/1-style objects, XFCC, then the
 * application. A stream opened after the policy stopped allowing the connection is refused
 * (REFUSED_STREAM, safe for the client to retry elsewhere) and the connection closed with GOAWAY.
 */
final class Http2StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
  private final InboundConnection connection;
  private final ChannelHandler application;

  Http2StreamInitializer(InboundConnection connection, ChannelHandler application) {
    this.connection = connection;
    this.application = application;
  }

  @Override
  protected void initChannel(Http2StreamChannel stream) {
    if (!connection.stillAllowed()) {
      stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
      connection.port().connections().close(stream.parent(), connection);
      return;
    }
    connection.attachTo(stream);
    stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
        new XfccHandler(connection), application);
  }
}
