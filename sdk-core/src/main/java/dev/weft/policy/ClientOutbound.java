package dev.weft.policy;

import dev.weft.policy.internal.IntMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every Service port a client can call, with how it reaches each endpoint. */
public final class ClientOutbound {
  private final Map<String, IntMap<ServiceRoute>> byHost;
  private final List<ServiceRoute> routes;

  ClientOutbound(List<ServiceRoute> routes) {
    Map<String, Map<Integer, ServiceRoute>> grouped = new HashMap<>();
    for (ServiceRoute route : routes) {
      grouped.computeIfAbsent(route.service().host(), h -> new HashMap<>())
          .put(route.port().port(), route);
    }
    Map<String, IntMap<ServiceRoute>> byHost = new HashMap<>();
    grouped.forEach((host, ports) -> byHost.put(host, IntMap.copyOf(ports)));
    this.byHost = byHost;
    this.routes = Collections.unmodifiableList(new ArrayList<>(routes));
  }

  /** The route to port {@code port} of the Service with FQDN {@code host}. */
  public Optional<ServiceRoute> route(String host, int port) {
    IntMap<ServiceRoute> ports = byHost.get(host);
    return ports == null ? Optional.empty() : Optional.ofNullable(ports.get(port));
  }

  /** Every route. */
  public List<ServiceRoute> routes() {
    return routes;
  }
}
