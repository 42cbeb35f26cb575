package dev.weft.http.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application behind the Weft pipeline in these tests, written against HTTP/1 objects only.
 * {@code /headers} answers, one per line, the caller's identity, the protocol and the request's
 * headers; {@code /hold} answers only when the test calls {@link #release}; anything else "ok".
 * Every request's {@code x-request-id} is remembered.
 */
final class TestApp extends ChannelInitializer<Channel> {
  final Set<String> received = ConcurrentHashMap.newKeySet();
  final CompletableFuture<Void> held = new CompletableFuture<>();
  private volatile ChannelHandlerContext heldContext;
  private volatile boolean heldKeepAlive;

  @Override
  protected void initChannel(Channel channel) {
    channel.pipeline().addLast(new HttpObjectAggregator(1 << 16), new Handler());
  }

  /** Answers the held {@code /hold} request. */
  void release() {
    respond(heldContext, heldKeepAlive, "released\n");
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      String id = request.headers().get("x-request-id");
      if (id != null) {
        received.add(id);
      }
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      switch (request.uri()) {
        case "/headers" -> respond(ctx, keepAlive, describe(ctx.channel(), request));
        case "/hold" -> {
          heldContext = ctx;
          heldKeepAlive = keepAlive;
          held.complete(null);
        }
        default -> respond(ctx, keepAlive, "ok\n");
      }
    }
  }

  private static String describe(Channel channel, FullHttpRequest request) {
    StringBuilder body = new StringBuilder()
        .append("peer: ").append(WeftNetty.peerIdentity(channel)).append('\n')
        .append("protocol: ").append(channel instanceof Http2StreamChannel ? "h2" : "http/1.1")
        .append('\n');
    for (Map.Entry<String, String> header : request.headers()) {
      body.append(header.getKey().toLowerCase()).append(": ").append(header.getValue())
          .append('\n');
    }
    return body.toString();
  }

  private static void respond(ChannelHandlerContext ctx, boolean keepAlive, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
