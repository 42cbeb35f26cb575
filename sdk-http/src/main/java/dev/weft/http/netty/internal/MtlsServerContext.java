package dev.weft.http.netty.internal;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.tls.MeshKeyManager;
import dev.weft.tls.MeshTls;
import dev.weft.tls.MeshTrustManager;
import dev.weft.tls.PeerAuthorizer;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server side of mesh mTLS: presents the workload's current certificate (rotation reaches
 * every new handshake through the key manager), requires a client certificate and verifies it
 * as an X.509-SVID of a trusted domain.
 */
final class MtlsServerContext {
  private MtlsServerContext() {}

  static SslContext create(WorkloadCertificates certificates, List<String> alpn) {
    try {
      return SslContextBuilder.forServer(MeshKeyManager.create(certificates))
          .trustManager(MeshTrustManager.create(certificates, PeerAuthorizer.anyPeer()))
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(MeshTls.PROTOCOLS)
          .ciphers(MeshTls.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
          // The server's order wins, so an Envoy client offering [istio-h2, istio, h2] gets h2;
          // no common protocol means no ALPN, and HTTP/1.1.
          .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
              SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT,
              alpn))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the mesh server TLS context: " + e, e);
    }
  }
}
