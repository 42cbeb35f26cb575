package dev.weft.http.netty.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import java.time.Duration;

/**
 * The HTTP stacks an admitted connection gets. Either way the application sees HTTP/1-style
 * objects ({@code HttpRequest}, {@code HttpContent}): on HTTP/1.1 in the connection's pipeline,
 * on HTTP/2 in each stream's.
 */
final class HttpStacks {
  /**
   * How long a connection the policy no longer allows may finish what is in flight before it is
   * closed regardless (Netty's own default for HTTP/2; its frame codec's is none at all).
   */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private HttpStacks() {}

  static void http1(ChannelPipeline pipeline, InboundConnection connection,
      ChannelHandler application) {
    pipeline.addLast("weft-http1", new HttpServerCodec());
    pipeline.addLast("weft-http1-draining", new Http1Draining(connection));
    pipeline.addLast("weft-xfcc", new XfccHandler(connection));
    pipeline.addLast(application);
  }

  static void http2(ChannelPipeline pipeline, InboundConnection connection,
      ChannelHandler application) {
    pipeline.addLast("weft-http2", Http2FrameCodecBuilder.forServer()
        .gracefulShutdownTimeoutMillis(DRAIN_TIMEOUT.toMillis()).build());
    pipeline.addLast("weft-http2-streams",
        new Http2MultiplexHandler(new Http2StreamInitializer(connection, application)));
  }
}
