package dev.weft.micronaut.internal;

import dev.weft.http.okhttp.WeftOkHttp;
import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the mesh route of a {@code host:port} without blocking the caller: the first time by
 * waiting, on the blocking executor and a bounded time, for the control plane's answer; after
 * that at once, so every connection sees the current policy.
 */
@Singleton
@Requires(property = "weft.enabled", notEquals = "false")
final class MeshRoutes {
  private static final Logger log = LoggerFactory.getLogger(MeshRoutes.class);

  private final Mesh mesh;
  private final ExecutorService blocking;
  private final Duration firstWait;
  private final ConcurrentMap<String, CompletableFuture<Optional<OutboundRoute>>> firstAnswers =
      new ConcurrentHashMap<>();

  MeshRoutes(Mesh mesh, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
    this.blocking = Objects.requireNonNull(blocking, "blocking");
    this.firstWait = WeftOkHttp.DEFAULT_ROUTE_WAIT;
  }

  /** The route of {@code host:port}; empty for a host outside the mesh. */
  CompletableFuture<Optional<OutboundRoute>> find(String host, int port) {
    String key = host + ":" + port;
    CompletableFuture<Optional<OutboundRoute>> first = firstAnswers.get(key);
    if (first != null && first.isDone()) {
      return CompletableFuture.completedFuture(mesh.outboundRoute(host, port));
    }
    Optional<OutboundRoute> now = mesh.outboundRoute(host, port);
    if (now.isPresent()) {
      firstAnswers.putIfAbsent(key, CompletableFuture.completedFuture(now));
      return CompletableFuture.completedFuture(now);
    }
    return firstAnswers.computeIfAbsent(key,
        ignored -> CompletableFuture.supplyAsync(() -> await(host, port), blocking));
  }

  private Optional<OutboundRoute> await(String host, int port) {
    try {
      Optional<OutboundRoute> route = mesh.awaitOutboundRoute(host, port, firstWait);
      if (route.isEmpty()) {
        log.debug("{}:{} has no mesh route: connections to it pass through", host, port);
      }
      return route;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException(
          "interrupted while looking up the mesh route of " + host + ":" + port, e);
    }
  }
}
