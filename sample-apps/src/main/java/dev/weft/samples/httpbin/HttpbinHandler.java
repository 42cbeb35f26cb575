package dev.weft.samples.httpbin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A few of httpbin's endpoints, in plain Netty: {@code /ip}, {@code /headers} and
 * {@code /status/<code>}. It knows nothing of the mesh; what the mesh adds shows in the headers.
 */
@Sharable
final class HttpbinHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String STATUS = "/status/";

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = request.uri().split("\\?", 2)[0];
    FullHttpResponse response;
    if (path.equals("/ip")) {
      response = json(HttpbinAnswers.ip(origin(ctx)));
    } else if (path.equals("/headers")) {
      response = json(HttpbinAnswers.headers(request.headers()));
    } else if (path.startsWith(STATUS)) {
      response = status(path.substring(STATUS.length()));
    } else {
      response = text(HttpResponseStatus.NOT_FOUND, "not found\n");
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String origin(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress address
        ? address.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
  }

  private static FullHttpResponse status(String code) {
    return HttpbinAnswers.status(code)
        .stream().mapToObj(status -> text(HttpResponseStatus.valueOf(status), ""))
        .findFirst()
        .orElseGet(() -> text(HttpResponseStatus.BAD_REQUEST, "invalid status code\n"));
  }

  private static FullHttpResponse json(String body) {
    FullHttpResponse response = text(HttpResponseStatus.OK, body);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    return response;
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    return response;
  }
}
