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
  static ServedPort of(WeftConfiguration config, HttpServerConfiguration server) {
    Optional<Integer> listening = server.getPort().filter(port -> port > 0);
    int containerPort = config.getContainerPort().or(() -> listening).orElseThrow(
        () -> new IllegalStateException("set weft.container-port (or a fixed "
            + "micronaut.server.port): the mesh must know which container port this server is"));
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalStateException("weft.container-port must be 1..65535: " + containerPort);
    }
    Optional<InetSocketAddress> boundTo = listening.filter(port -> port != containerPort)
        .map(port -> new InetSocketAddress(server.getHost().orElse("127.0.0.1"), port));
    return new ServedPort(containerPort, boundTo);
  }
}
