package dev.weft.grpc.internal;

import dev.weft.mesh.OutboundRoute;
import io.grpc.Attributes;
import java.util.Objects;

/**
 * An endpoint of a mesh route, carried on the addresses the mesh resolver gives grpc-java so
 * that the connection to it uses its own TLS.
 */
record RoutedEndpoint(OutboundRoute route, OutboundRoute.Endpoint endpoint) {
  static final Attributes.Key<RoutedEndpoint> KEY = Attributes.Key.create("weft-routed-endpoint");

  RoutedEndpoint {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(endpoint, "endpoint");
  }

  /** {@code host:port (address:port)}, as failures name it. */
  String describe() {
    return route.host() + ":" + route.port() + " (" + endpoint.address() + ":" + endpoint.port()
        + ")";
  }
}
