package dev.weft.grpc.internal;

import dev.weft.cert.WorkloadCertificates;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.tls.MeshKeyManager;
import dev.weft.tls.MeshTls;
import dev.weft.tls.MeshTrustManager;
import dev.weft.tls.PeerAuthorizer;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.net.ssl.SSLException;

/**
 * Mesh mTLS for gRPC (HTTP/2 over ALPN {@code h2}) on grpc-java's own Netty: the workload's
 * current certificate on every handshake (the key manager follows rotation), peers verified as
 * X.509-SVIDs. Client contexts are built once per set of expected server identities.
 */
final class MeshTlsContexts {
  private final WorkloadCertificates certificates;
  private final ConcurrentMap<Expectation, SslContext> clients = new ConcurrentHashMap<>();

  MeshTlsContexts(WorkloadCertificates certificates) {
    this.certificates = certificates;
  }

  /** The server side: any mesh identity may connect; authorization is not TLS's job. */
  SslContext server() {
    SslContextBuilder builder = SslContextBuilder.forServer(MeshKeyManager.create(certificates))
        .trustManager(MeshTrustManager.create(certificates, PeerAuthorizer.anyPeer()))
        .clientAuth(ClientAuth.REQUIRE);
    return build(builder, "server");
  }

  /** The client side, accepting only a server that is one of {@code expected}, else any of {@code trustDomain}. */
  SslContext client(Set<SpiffeId> expected, TrustDomain trustDomain) {
    return clients.computeIfAbsent(new Expectation(Set.copyOf(expected), trustDomain),
        expectation -> build(SslContextBuilder.forClient()
            .keyManager(MeshKeyManager.create(certificates))
            .trustManager(MeshTrustManager.create(certificates, expectation.authorizer())),
            "client"));
  }

  private static SslContext build(SslContextBuilder builder, String side) {
    try {
      return GrpcSslContexts.configure(builder)
          .protocols(MeshTls.PROTOCOLS)
          .ciphers(MeshTls.CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the gRPC mesh " + side + " TLS context: " + e,
          e);
    }
  }

  private record Expectation(Set<SpiffeId> expected, TrustDomain trustDomain) {
    PeerAuthorizer authorizer() {
      return expected.isEmpty()
          ? PeerAuthorizer.inTrustDomains(Set.of(trustDomain))
          : PeerAuthorizer.anyOf(expected);
    }
  }
}
