package dev.weft.http.netty.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1.1 connection gracefully once the policy no longer allows it: at once when
 * idle, else after the response in flight, which says {@code connection: close} (or when the
 * drain timeout ends). A request read after that point never reaches the application, even
 * before the policy listener has run.
 */
final class Http1Draining extends ChannelDuplexHandler {
  private final InboundConnection connection;
  private ChannelHandlerContext ctx;
  /** Requests passed to the application whose response has not been written to its end. */
  private int unanswered;
  private boolean draining;
  private boolean discardingRequest;
  private boolean interimResponse;

  Http1Draining(InboundConnection connection) {
    this.connection = connection;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Closes the connection once no response is in flight, and after {@link
   * HttpStacks#DRAIN_TIMEOUT} regardless; call on the event loop.
   */
  void drain() {
    draining = true;
    if (unanswered == 0) {
      ctx.close();
    } else {
      ctx.executor().schedule(() -> ctx.close(), HttpStacks.DRAIN_TIMEOUT.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      discardingRequest = draining || !connection.stillAllowed();
      if (discardingRequest) {
        connection.port().connections().close(ctx.channel(), connection);
      } else {
        unanswered++;
      }
    }
    if (discardingRequest) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      interimResponse = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (draining && !interimResponse) {
        HttpUtil.setKeepAlive(response, false);
      }
    }
    if (!(msg instanceof LastHttpContent) || interimResponse) {
      ctx.write(msg, promise);
      return;
    }
    unanswered = Math.max(0, unanswered - 1);
    if (draining && unanswered == 0) {
      ChannelPromise written = promise.unvoid();
      ctx.write(msg, written);
      written.addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.write(msg, promise);
    }
  }
}
