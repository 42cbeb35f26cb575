package dev.weft.http.netty.internal;

import dev.weft.cert.WorkloadCertificates;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

/**
 * Weft's own HTTP stacks in front of an application handler: HTTP/2 or HTTP/1.1, chosen by
 * ALPN over mTLS and by the connection preface in plaintext.
 */
final class OwnHttpStacks implements HttpServing {
  private final ChannelHandler application;

  OwnHttpStacks(ChannelHandler application) {
    this.application = application;
  }

  ChannelHandler application() {
    return application;
  }

  @Override
  public SslContext mtlsContext(WorkloadCertificates certificates) {
    return MtlsServerContext.create(certificates, AlpnProtocols.ALL);
  }

  @Override
  public ChannelHandler afterHandshake() {
    return new AlpnRouter(this);
  }

  @Override
  public void plaintextAdmitted(ChannelPipeline pipeline, String afterName,
      InboundConnection connection) {
    pipeline.addAfter(afterName, "weft-h2c", new H2cPrefaceSniffer(this, connection));
  }
}
