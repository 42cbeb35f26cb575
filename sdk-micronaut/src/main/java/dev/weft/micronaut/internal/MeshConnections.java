package dev.weft.micronaut.internal;

import dev.weft.mesh.Mesh;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections of the application's HTTP clients to mesh endpoints, each told to check
 * its endpoint and TLS against the policy after every change, so a pooled connection is not
 * reused once the policy it was made under no longer holds.
 */
@Singleton
@Requires(property = "weft.enabled", notEquals = "false")
final class MeshConnections {
  private final Mesh mesh;
  private final Set<MeshConnection> open = ConcurrentHashMap.newKeySet();
  private final Runnable policyChanged = () -> open.forEach(MeshConnection::recheck);

  MeshConnections(Mesh mesh) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    mesh.addListener(policyChanged);
  }

  /** The policy the connections are checked against. */
  Mesh mesh() {
    return mesh;
  }

  void add(MeshConnection connection) {
    open.add(connection);
  }

  void remove(MeshConnection connection) {
    open.remove(connection);
  }

  @PreDestroy
  void close() {
    mesh.removeListener(policyChanged);
  }
}
