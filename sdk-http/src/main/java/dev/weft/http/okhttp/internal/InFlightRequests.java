package dev.weft.http.okhttp.internal;

import dev.weft.mesh.OutboundRoute.Endpoint;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests in flight to each endpoint, from sending until the response body closes
 * (or, for a client that picks the endpoint per connection, the connections open to each).
 */
public final class InFlightRequests {
  private final ConcurrentMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** The requests in flight to {@code endpoint}. */
  public int count(Endpoint endpoint) {
    AtomicInteger count = counts.get(key(endpoint));
    return count == null ? 0 : count.get();
  }

  /** Counts one more request to {@code endpoint}; running the result, once or more, ends it. */
  public Runnable start(Endpoint endpoint) {
    AtomicInteger count = counts.computeIfAbsent(key(endpoint), key -> new AtomicInteger());
    count.incrementAndGet();
    AtomicBoolean ended = new AtomicBoolean();
    return () -> {
      if (ended.compareAndSet(false, true)) {
        count.decrementAndGet();
      }
    };
  }

  private static String key(Endpoint endpoint) {
    return endpoint.address() + ":" + endpoint.port();
  }
}
