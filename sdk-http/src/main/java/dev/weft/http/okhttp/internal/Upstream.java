package dev.weft.http.okhttp.internal;

import dev.weft.mesh.OutboundRoute.Endpoint;
import dev.weft.mesh.UpstreamTls;

/**
 * Where a connection goes and the TLS it speaks: what pooled connections are shared by. An
 * endpoint whose TLS changes is a new upstream, so a policy edit never reuses a connection
 * made under the old policy.
 */
record Upstream(String address, int port, UpstreamTls tls) {

  static Upstream of(Endpoint endpoint) {
    return new Upstream(endpoint.address(), endpoint.port(), endpoint.tls());
  }

  /** {@code address:port}, bracketing an IPv6 address. */
  String authority() {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }
}
