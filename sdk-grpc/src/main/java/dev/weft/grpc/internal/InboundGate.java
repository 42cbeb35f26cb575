package dev.weft.grpc.internal;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a server connection: waits for its first byte, which says whether the
 * client speaks TLS (a handshake record, {@code 0x16}) or plaintext HTTP/2, asks the port's
 * policy, then installs grpc-java's own negotiation for it and hands over the buffered bytes, or
 * closes the connection. A client that sends nothing is closed after 15 s, as Envoy's listener
 * filters time out.
 */
final class InboundGate extends ByteToMessageDecoder {
  private static final int TLS_HANDSHAKE_RECORD = 0x16;
  private static final long FIRST_BYTE_TIMEOUT_SECONDS = 15;

  private final MeshServerNegotiator negotiator;
  private final GrpcHttp2ConnectionHandler grpcHandler;
  private ProtocolNegotiationEvent negotiation;
  private ScheduledFuture<?> timeout;

  InboundGate(MeshServerNegotiator negotiator, GrpcHttp2ConnectionHandler grpcHandler) {
    this.negotiator = negotiator;
    this.grpcHandler = grpcHandler;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timeout = ctx.executor().schedule(() -> {
      ctx.close();
    }, FIRST_BYTE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    timeout.cancel(false);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ProtocolNegotiationEvent pne) {
      negotiation = pne;
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (negotiation == null || !in.isReadable()) {
      return;
    }
    boolean tls = in.getUnsignedByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD;
    Optional<String> refusal = negotiator.admit(ctx.channel(), tls);
    if (refusal.isPresent()) {
      in.skipBytes(in.readableBytes());
      ctx.close();
      return;
    }
    ctx.pipeline().addAfter(ctx.name(), null,
        negotiator.negotiation(tls).newHandler(grpcHandler));
    ctx.fireUserEventTriggered(negotiation);
    // Removing a decoder passes the bytes it holds on to the negotiation just installed.
    ctx.pipeline().remove(this);
  }
}
