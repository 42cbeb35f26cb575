package dev.weft.http.netty.internal;

import io.netty.handler.ssl.ApplicationProtocolNames;
import java.util.List;
import java.util.Set;

/**
 * The ALPN names a Weft server speaks, its own and those Envoy sidecars offer to one another
 * ({@code [istio-h2, istio, h2]} and {@code [istio-http/1.1, istio, http/1.1]}).
 */
final class AlpnProtocols {
  /** In the server's order of preference. */
  static final List<String> ALL = List.of(ApplicationProtocolNames.HTTP_2,
      ApplicationProtocolNames.HTTP_1_1, "istio-h2", "istio-http/1.1", "istio-http/1.0", "istio");

  private static final Set<String> HTTP_2 = Set.of(ApplicationProtocolNames.HTTP_2, "istio-h2");

  private AlpnProtocols() {}

  /** Whether the negotiated {@code protocol} means HTTP/2; everything else is HTTP/1.x. */
  static boolean isHttp2(String protocol) {
    return HTTP_2.contains(protocol);
  }
}
