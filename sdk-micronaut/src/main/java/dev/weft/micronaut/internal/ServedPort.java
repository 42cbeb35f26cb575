package dev.weft.micronaut.internal;

import io.micronaut.http.server.HttpServerConfiguration;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The container port the Micronaut server serves in the mesh ({@code weft.container-port}, else
 * {@code micronaut.server.port}) and, when the server listens on another port of this host (many
 * workloads on one machine), where it listens.
 */
record ServedPort(int containerPort, Optional<InetSocketAddress> boundTo) {
  /** The served port; empty when neither setting names one (a client-only application). */
  static Optional<ServedPort> of(WeftConfiguration config, HttpServerConfiguration server) {
    Optional<Integer> listening = server.getPort().filter(port -> port > 0);
    Optional<Integer> configured = config.getContainerPort().or(() -> listening);
    if (configured.isEmpty()) {
      return Optional.empty();
    }
    int containerPort = configured.get();
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalStateException("weft.container-port must be 1..65535: " + containerPort);
    }
    Optional<InetSocketAddress> boundTo = listening.filter(port -> port != containerPort)
        .map(port -> new InetSocketAddress(server.getHost().orElse("127.0.0.1"), port));
    return Optional.of(new ServedPort(containerPort, boundTo));
  }
}
