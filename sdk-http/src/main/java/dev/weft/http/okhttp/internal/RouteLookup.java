package dev.weft.http.okhttp.internal;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
  /** The ports of each host looked up before, which later lookups no longer wait for. */
  private final ConcurrentMap<String, int[]> askedPorts = new ConcurrentHashMap<>();

  RouteLookup(Mesh mesh, Duration firstWait) {
    this.mesh = mesh;
    this.firstWait = firstWait;
  }

  /** The route of {@code host:port}; empty for a host outside the mesh. */
  Optional<OutboundRoute> find(String host, int port) throws InterruptedIOException {
    Optional<OutboundRoute> route = mesh.outboundRoute(host, port);
    if (asked(host, port)) {
      return route;
    }
    if (route.isEmpty()) {
      try {
        route = mesh.awaitOutboundRoute(host, port, firstWait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException interrupted = new InterruptedIOException(
            "interrupted while looking up the mesh route of " + host + ":" + port);
        interrupted.initCause(e);
        throw interrupted;
      }
      if (route.isEmpty()) {
        log.debug("{}:{} has no mesh route: requests to it pass through", host, port);
      }
    }
    askedPorts.compute(host, (name, ports) -> withPort(ports, port));
    return route;
  }

  /** Whether {@code host:port} was looked up before; allocates nothing, as it runs per request. */
  private boolean asked(String host, int port) {
    int[] ports = askedPorts.get(host);
    if (ports != null) {
      for (int asked : ports) {
        if (asked == port) {
          return true;
        }
      }
    }
    return false;
  }

  private static int[] withPort(int[] ports, int port) {
    if (ports == null) {
      return new int[] {port};
    }
    for (int asked : ports) {
      if (asked == port) {
        return ports;
      }
    }
    int[] more = Arrays.copyOf(ports, ports.length + 1);
    more[ports.length] = port;
    return more;
  }
}
