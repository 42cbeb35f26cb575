package dev.weft.http.netty.internal;

import dev.weft.cert.WorkloadCertificates;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslContext;

/**
 * What serves HTTP on a connection once Weft has let it in: Weft's own HTTP/1.1 and HTTP/2
 * stacks in front of an application handler, or the HTTP/1.1 stack a framework already put in
 * the pipeline.
 */
interface HttpServing {
  /** The mTLS context the port's TLS connections get; its ALPN says which HTTP versions. */
  SslContext mtlsContext(WorkloadCertificates certificates);

  /** The handler that follows the TLS handshake's outcome and sets up HTTP after it. */
  ChannelHandler afterHandshake();

  /** Sets up HTTP on an admitted plaintext connection, right after {@code afterName}. */
  void plaintextAdmitted(ChannelPipeline pipeline, String afterName, InboundConnection connection);
}
