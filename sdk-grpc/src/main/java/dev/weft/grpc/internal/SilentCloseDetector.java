package dev.weft.grpc.internal;

import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * At the head of a plaintext connection to a mesh endpoint: a server that closes it without
 * sending a byte, or resets it, refused it (a STRICT port), and the calls on it fail saying which policy did.
 */
final class SilentCloseDetector extends ChannelInboundHandlerAdapter {
  private final RoutedEndpoint routed;
  private boolean heardFrom;

  SilentCloseDetector(RoutedEndpoint routed) {
    this.routed = routed;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    heardFrom = true;
    ctx.fireChannelRead(message);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A refusing server may reset rather than close, if the client's first bytes were still on
    // the way; to the client that is the same refusal.
    if (!heardFrom && cause instanceof IOException) {
      heardFrom = true;
      ctx.fireExceptionCaught(ConnectionFailures.closedSilently(routed, cause));
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!heardFrom) {
      ctx.fireExceptionCaught(ConnectionFailures.closedSilently(routed, null));
    }
    ctx.fireChannelInactive();
  }
}
