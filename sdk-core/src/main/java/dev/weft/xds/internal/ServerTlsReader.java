package dev.weft.xds.internal;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;

/** Checks a server chain's transport socket: mesh mTLS that requires the client's certificate. */
final class ServerTlsReader {
  private ServerTlsReader() {}

  /** Rejects a server TLS socket that is not mesh mTLS requiring a client certificate. */
  static void check(TransportSocket socket, FieldPath at) throws InvalidResourceException {
    DownstreamTlsContext tls = Protos.tlsContext(socket, DownstreamTlsContext.class, at);
    FieldPath context = at.field("typed_config");
    Protos.only(tls, context, "common_tls_context", "require_client_certificate");
    if (!tls.getRequireClientCertificate().getValue()) {
      throw context.field("require_client_certificate")
          .invalid("a TLS chain must require a client certificate");
    }
    MeshTlsContext.SubjectAltNames sans =
        MeshTlsContext.read(tls.getCommonTlsContext(), context.field("common_tls_context"));
    if (!sans.matchers().isEmpty()) {
      throw sans.at().invalid("a server does not match its clients' names (grpc-java refuses"
          + " this too); it accepts any client with a mesh certificate");
    }
  }
}
