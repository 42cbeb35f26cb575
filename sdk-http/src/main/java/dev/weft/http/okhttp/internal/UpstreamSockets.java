package dev.weft.http.okhttp.internal;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.UpstreamTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;

/**
 * Makes the socket factories of requests to mesh routes: each connects to the upstream picked
 * for the request, with its TLS.
 */
final class UpstreamSockets {
  private final RouteLookup routes;
  private final TlsOriginator originator;

  UpstreamSockets(RouteLookup routes, TlsOriginator originator) {
    this.routes = routes;
    this.originator = originator;
  }

  /** Sockets for a request to {@code route}'s {@code host:port}, sent to {@code upstream}. */
  SocketFactory forRoute(OutboundRoute route, Upstream upstream) {
    return new Factory(new Route(route.host(), route.port(), upstream));
  }

  /** One request's route: the host and port called, and the upstream picked. */
  final class Route {
    private final String host;
    private final int port;
    private final Upstream upstream;

    private Route(String host, int port, Upstream upstream) {
      this.host = host;
      this.port = port;
      this.upstream = upstream;
    }

    Upstream upstream() {
      return upstream;
    }

    /** Whether OkHttp connects for the host and port called, as {@link UpstreamDns} resolved. */
    boolean isRouteTarget(InetSocketAddress target) {
      return target.getHostString().equals(host) && target.getPort() == port;
    }

    /** The TLS socket over {@code raw}, or null for plaintext. */
    SSLSocket secure(Socket raw) throws IOException {
      if (upstream.tls() instanceof UpstreamTls.Plaintext) {
        return null;
      }
      return originator.handshake(raw, upstream, host);
    }

    /**
     * Refuses a target other than the route's, which OkHttp only connects to when following a
     * redirect inside the request, if it is in the mesh (or the route's host on another port,
     * which the {@code Dns} resolved to the upstream): it needs a route of its own, which Weft
     * picks per request. Other hosts are connected to as OkHttp would.
     */
    void checkOtherTarget(InetSocketAddress target) throws IOException {
      String other = target.getHostString();
      if (other.equals(host) || routes.find(other, target.getPort()).isPresent()) {
        throw new MeshRequestException(Failure.REDIRECT_NOT_FOLLOWED, other, target.getPort(),
            Optional.empty(), host + ":" + port + " redirected the request to " + other + ":"
                + target.getPort() + ", which Weft does not follow inside a request: each request"
                + " to a mesh service takes its own route; follow it with a new request",
            List.of(), null);
      }
    }
  }

  private static final class Factory extends SocketFactory {
    private final Route route;

    Factory(Route route) {
      this.route = route;
    }

    @Override
    public Socket createSocket() {
      return new UpstreamSocket(route);
    }

    @Override
    public Socket createSocket(String host, int port) throws SocketException {
      throw unconnectedOnly();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws SocketException {
      throw unconnectedOnly();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws SocketException {
      throw unconnectedOnly();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress,
        int localPort) throws SocketException {
      throw unconnectedOnly();
    }

    private static SocketException unconnectedOnly() {
      return new SocketException("Weft's upstream sockets are created unconnected");
    }
  }
}
