package dev.weft.grpc.internal;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mesh endpoint behind a connection that a plain resolver (DNS) made: the route of the
 * channel's authority, and of it the endpoint at the address connected to — or, behind a
 * virtual IP, the TLS every endpoint agrees on.
 */
final class AuthorityRoutes {
  private final Mesh mesh;
  /** Authorities whose first wait for a route is over. */
  private final Set<String> settled = ConcurrentHashMap.newKeySet();

  AuthorityRoutes(Mesh mesh) {
    this.mesh = mesh;
  }

  /** Where a connection goes. */
  sealed interface Destination {
    /** A mesh endpoint. */
    record Endpoint(RoutedEndpoint routed) implements Destination {}

    /** No mesh route: the destination is outside the mesh. */
    record Outside() implements Destination {}

    /** The control plane has not answered yet for the first connection to this authority. */
    record Pending() implements Destination {}

    /** A mesh route whose endpoint cannot be told. */
    record Unknown(String why) implements Destination {}
  }

  Destination destination(String authority, SocketAddress remote) {
    Optional<HostPort> target = HostPort.parse(authority);
    // The mesh routes Service names; an address is reached as it is.
    if (target.isEmpty() || isAddress(target.get().host())) {
      return new Destination.Outside();
    }
    Optional<OutboundRoute> route = mesh.outboundRoute(target.get().host(), target.get().port());
    if (route.isEmpty()) {
      // The first connection waits for the control plane's answer; later ones take the mesh's word.
      return settled.contains(authority) ? new Destination.Outside() : new Destination.Pending();
    }
    settled.add(authority);
    return endpointAt(route.get(), remote);
  }

  /** Gives up waiting for the route of {@code authority}: without one it is outside the mesh. */
  void settle(String authority) {
    settled.add(authority);
  }

  private static Destination endpointAt(OutboundRoute route, SocketAddress remote) {
    List<OutboundRoute.Endpoint> endpoints = route.endpoints();
    if (remote instanceof InetSocketAddress inet) {
      for (OutboundRoute.Endpoint endpoint : endpoints) {
        if (endpoint.port() == inet.getPort()
            && endpoint.address().equals(inet.getAddress().getHostAddress())) {
          return new Destination.Endpoint(new RoutedEndpoint(route, endpoint));
        }
      }
    }
    if (!endpoints.isEmpty() && endpoints.stream().map(OutboundRoute.Endpoint::tls).distinct()
        .count() == 1) {
      return new Destination.Endpoint(new RoutedEndpoint(route, endpoints.get(0)));
    }
    return new Destination.Unknown(remote + " is none of the " + endpoints.size()
        + " endpoints of " + route.host() + ":" + route.port() + ", and they differ in TLS;"
        + " resolve it with a weft:/// target");
  }

  private static boolean isAddress(String host) {
    return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }

  /** A channel authority's host and port. */
  record HostPort(String host, int port) {
    static Optional<HostPort> parse(String authority) {
      try {
        URI uri = new URI(null, authority, null, null, null);
        return uri.getHost() == null || uri.getPort() < 0 ? Optional.empty()
            : Optional.of(new HostPort(uri.getHost(), uri.getPort()));
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
    }
  }
}
