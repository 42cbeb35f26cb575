package dev.weft.http.okhttp.internal;

import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.OutboundRoute.Endpoint;
import dev.weft.policy.LoadBalancer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the endpoint of each request as the route's {@code loadBalancer} says: ROUND_ROBIN in
 * turn per cluster, RANDOM, and LEAST_REQUEST as Envoy does with equal weights: of two
 * different endpoints drawn at random, the one with fewer requests in flight. LEAST_REQUEST is
 * also Istio's default, used when the rule says nothing (UNSPECIFIED) and for PASSTHROUGH, which
 * has no original destination to pass to in-process.
 */
public final class EndpointBalancer {
  private final InFlightRequests inFlight;
  private final ConcurrentMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

  /** Balances by the requests {@code inFlight} counts, for LEAST_REQUEST. */
  public EndpointBalancer(InFlightRequests inFlight) {
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
  }

  /** The endpoint for the next request; empty when the route has none. */
  public Optional<Endpoint> pick(OutboundRoute route) {
    List<Endpoint> endpoints = route.endpoints();
    if (endpoints.size() <= 1) {
      return endpoints.isEmpty() ? Optional.empty() : Optional.of(endpoints.get(0));
    }
    switch (route.loadBalancer()) {
      case ROUND_ROBIN:
        return Optional.of(roundRobin(route.cluster(), endpoints));
      case RANDOM:
        return Optional.of(endpoints.get(ThreadLocalRandom.current().nextInt(endpoints.size())));
      default:
        return Optional.of(leastRequest(endpoints));
    }
  }

  /**
   * Whether picks for {@code route} read the requests in flight: only LEAST_REQUEST between two
   * or more endpoints does, so only then are a request's start and end worth counting.
   */
  public boolean countsInFlight(OutboundRoute route) {
    return route.endpoints().size() > 1 && route.loadBalancer() != LoadBalancer.ROUND_ROBIN
        && route.loadBalancer() != LoadBalancer.RANDOM;
  }

  private Endpoint roundRobin(String cluster, List<Endpoint> endpoints) {
    AtomicInteger turn = turns.computeIfAbsent(cluster,
        key -> new AtomicInteger(ThreadLocalRandom.current().nextInt(endpoints.size())));
    return endpoints.get(Math.floorMod(turn.getAndIncrement(), endpoints.size()));
  }

  private Endpoint leastRequest(List<Endpoint> endpoints) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(endpoints.size());
    int second = (first + 1 + random.nextInt(endpoints.size() - 1)) % endpoints.size();
    Endpoint a = endpoints.get(first);
    Endpoint b = endpoints.get(second);
    return inFlight.count(b) < inFlight.count(a) ? b : a;
  }
}
