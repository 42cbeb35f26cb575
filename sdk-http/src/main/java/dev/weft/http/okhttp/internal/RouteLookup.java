package dev.weft.http.okhttp.internal;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the mesh route of a {@code host:port}: the first time, waiting a bounded time for the
 * control plane's answer; afterwards without waiting, so every request sees the current policy.
 */
final class RouteLookup {
  private static final Logger log = LoggerFactory.getLogger(RouteLookup.class);

  private final Mesh mesh;
  private final Duration firstWait;
  private final Set<String> asked = ConcurrentHashMap.newKeySet();

  RouteLookup(Mesh mesh, Duration firstWait) {
    this.mesh = mesh;
    this.firstWait = firstWait;
  }

  /** The route of {@code host:port}; empty for a host outside the mesh. */
  Optional<OutboundRoute> find(String host, int port) throws InterruptedIOException {
    String key = host + ":" + port;
    if (asked.contains(key)) {
      return mesh.outboundRoute(host, port);
    }
    Optional<OutboundRoute> route;
    try {
      route = mesh.awaitOutboundRoute(host, port, firstWait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while looking up the mesh route of " + key);
      interrupted.initCause(e);
      throw interrupted;
    }
    asked.add(key);
    if (route.isEmpty()) {
      log.debug("{} has no mesh route: requests to it pass through", key);
    }
    return route;
  }
}
