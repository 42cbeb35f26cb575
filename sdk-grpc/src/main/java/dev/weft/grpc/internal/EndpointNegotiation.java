package dev.weft.grpc.internal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * Chooses, once a client connection is up, how to speak to the endpoint it reached, installs
 * grpc-java's own negotiation for that in front of itself, and stays behind it to turn a failed
 * negotiation into a status that names the policy behind it.
 */
final class EndpointNegotiation extends ChannelInboundHandlerAdapter {
  private static final long ROUTE_WAIT_MILLIS = 2000;
  private static final long ROUTE_POLL_MILLIS = 20;

  private final MeshChannelNegotiator negotiator;
  private final GrpcHttp2ConnectionHandler grpcHandler;
  private ProtocolNegotiationEvent negotiationEvent;
  private boolean chosen;
  private RoutedEndpoint routed;
  private long waitingSince;
  /** What the server sent before the negotiation was chosen (an HTTP/2 server speaks first). */
  private final Queue<Object> early = new ArrayDeque<>();

  EndpointNegotiation(MeshChannelNegotiator negotiator, GrpcHttp2ConnectionHandler grpcHandler) {
    this.negotiator = negotiator;
    this.grpcHandler = grpcHandler;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ProtocolNegotiationEvent pne && negotiationEvent == null) {
      negotiationEvent = pne;
      waitingSince = System.nanoTime();
      choose(ctx);
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (negotiationEvent != null && !chosen) {
      early.add(message);
    } else {
      ctx.fireChannelRead(message);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.fireExceptionCaught(routed == null ? cause : ConnectionFailures.failed(routed, cause));
  }

  private void choose(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    String authority = grpcHandler.getAuthority();
    AuthorityRoutes.Destination destination = negotiator.destination(
        grpcHandler.getEagAttributes(), authority, ctx.channel().remoteAddress());
    if (destination instanceof AuthorityRoutes.Destination.Pending) {
      if (System.nanoTime() - waitingSince < TimeUnit.MILLISECONDS.toNanos(ROUTE_WAIT_MILLIS)) {
        ctx.executor().schedule(() -> choose(ctx), ROUTE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        return;
      }
      negotiator.settle(authority);
      destination = negotiator.destination(
          grpcHandler.getEagAttributes(), authority, ctx.channel().remoteAddress());
    }
    if (destination instanceof AuthorityRoutes.Destination.Unknown unknown) {
      ctx.fireExceptionCaught(Status.UNAVAILABLE.withDescription(authority + ": "
          + unknown.why()).asRuntimeException());
      return;
    }
    InternalProtocolNegotiator.ProtocolNegotiator negotiation;
    if (destination instanceof AuthorityRoutes.Destination.Endpoint endpoint) {
      routed = endpoint.routed();
      try {
        negotiation = negotiator.negotiation(routed);
      } catch (StatusRuntimeException refused) {
        ctx.fireExceptionCaught(refused);
        return;
      }
      if (negotiation.scheme().contentEquals("http")) {
        ctx.pipeline().addFirst(new SilentCloseDetector(routed));
      }
    } else {
      negotiation = negotiator.passthrough();
    }
    ctx.pipeline().addBefore(ctx.name(), null, negotiation.newHandler(grpcHandler));
    this.chosen = true;
    // From the head, so that the negotiation just installed in front of this handler sees it.
    ctx.pipeline().fireUserEventTriggered(negotiationEvent);
    while (!early.isEmpty()) {
      ctx.pipeline().fireChannelRead(early.poll());
    }
  }
}
