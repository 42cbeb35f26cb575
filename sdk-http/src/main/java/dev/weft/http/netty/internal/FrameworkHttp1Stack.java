package dev.weft.http.netty.internal;

import dev.weft.cert.WorkloadCertificates;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;

/**
 * An HTTP/1.1 server stack a framework (Micronaut) already put in the pipeline, behind its codec
 * named {@code codecName}: Weft adds only its draining and XFCC handlers right after that codec,
 * and offers HTTP/1.1 alone in ALPN.
 */
final class FrameworkHttp1Stack implements HttpServing {
  private static final List<String> ALPN =
      List.of(ApplicationProtocolNames.HTTP_1_1, "istio-http/1.1", "istio-http/1.0", "istio");

  private final String codecName;

  FrameworkHttp1Stack(String codecName) {
    this.codecName = codecName;
  }

  @Override
  public SslContext mtlsContext(WorkloadCertificates certificates) {
    return MtlsServerContext.create(certificates, ALPN);
  }

  @Override
  public ChannelHandler afterHandshake() {
    return new AfterHandshake();
  }

  @Override
  public void plaintextAdmitted(ChannelPipeline pipeline, String afterName,
      InboundConnection connection) {
    install(pipeline, connection);
  }

  private void install(ChannelPipeline pipeline, InboundConnection connection) {
    if (pipeline.get(codecName) == null) {
      throw new IllegalStateException("the pipeline has no HTTP codec named " + codecName
          + ": " + pipeline.names());
    }
    pipeline.addAfter(codecName, "weft-http1-draining", new Http1Draining(connection));
    pipeline.addAfter("weft-http1-draining", "weft-xfcc", new XfccHandler(connection));
  }

  /** Adds the handlers once the handshake admitted the connection. */
  private final class AfterHandshake extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
        InboundConnection connection = InboundConnection.of(ctx.channel()).orElseThrow(
            () -> new IllegalStateException("an mTLS connection that was not admitted"));
        install(ctx.pipeline(), connection);
        ctx.pipeline().remove(this);
      }
      ctx.fireUserEventTriggered(event);
    }
  }
}
