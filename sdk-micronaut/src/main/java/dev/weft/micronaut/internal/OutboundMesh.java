package dev.weft.micronaut.internal;

import dev.weft.http.okhttp.internal.EndpointBalancer;
import dev.weft.http.okhttp.internal.InFlightRequests;
import dev.weft.http.okhttp.internal.TlsOriginator;
import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute.Endpoint;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Objects;

/**
 * What the mesh connections of all the application's HTTP clients share: the routes, the
 * balancer and the connections it counts per endpoint, the TLS contexts, and the open
 * connections.
 */
@Singleton
@Requires(property = "weft.enabled", notEquals = "false")
final class OutboundMesh {
  private final MeshRoutes routes;
  private final MeshConnections connections;
  private final InFlightRequests openPerEndpoint = new InFlightRequests();
  private final EndpointBalancer balancer = new EndpointBalancer(openPerEndpoint);
  private final TlsOriginator tls;

  OutboundMesh(MeshRoutes routes, MeshConnections connections) {
    this.routes = Objects.requireNonNull(routes, "routes");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.tls = new TlsOriginator(connections.mesh()::certificates);
  }

  Mesh mesh() {
    return connections.mesh();
  }

  MeshRoutes routes() {
    return routes;
  }

  MeshConnections connections() {
    return connections;
  }

  /** Picks each connection's endpoint; LEAST_REQUEST counts the connections open to each. */
  EndpointBalancer balancer() {
    return balancer;
  }

  /** Counts a connection to an endpoint; running the result ends it. */
  Runnable opened(Endpoint endpoint) {
    return openPerEndpoint.start(endpoint);
  }

  TlsOriginator tls() {
    return tls;
  }
}
