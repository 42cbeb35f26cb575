package dev.weft.micronaut.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Tells where the HTTP/1.1 exchanges of a mesh connection begin and end, so that a connection
 * retired by a change of policy closes between two exchanges, never in the middle of one. It
 * closes before handing on the end of the response, so the client's pool, when it takes the
 * connection back, finds it closed and gives the next request another one.
 */
final class Exchanges extends ChannelDuplexHandler {
  static final String NAME = "weft-mesh-exchanges";

  private final Runnable close;
  private boolean busy;
  private boolean informational;
  private boolean retired;

  /** Watches from now; {@code busy} when a request is being written. */
  Exchanges(Runnable close, boolean busy) {
    this.close = close;
    this.busy = busy;
  }

  /** Closes the connection now if it is between exchanges, else when this one ends. */
  void retire() {
    retired = true;
    if (!busy) {
      close.run();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (message instanceof HttpRequest) {
      busy = true;
    }
    ctx.write(message, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof HttpResponse response) {
      informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }
    if (message instanceof LastHttpContent) {
      // The end of a 100 Continue is not the end of the exchange.
      boolean ends = !informational;
      informational = false;
      if (ends) {
        busy = false;
        if (retired) {
          close.run();
        }
      }
    }
    ctx.fireChannelRead(message);
  }
}
