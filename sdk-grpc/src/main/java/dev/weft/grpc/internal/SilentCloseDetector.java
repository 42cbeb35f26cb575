package dev.weft.grpc.internal;

import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * At the head of a plaintext connection to a mesh endpoint: a server that closes it without
 * sending a byte refused it (a STRICT port), and the calls on it fail saying which policy did.
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
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!heardFrom) {
      ctx.fireExceptionCaught(ConnectionFailures.closedSilently(routed));
    }
    ctx.fireChannelInactive();
  }
}
