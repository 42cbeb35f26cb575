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
  /** Routes are stored already wrapped, so a lookup allocates nothing. */
  private final Map<String, IntMap<Optional<ServiceRoute>>> byHost;
  private final List<ServiceRoute> routes;

  ClientOutbound(List<ServiceRoute> routes) {
    Map<String, Map<Integer, Optional<ServiceRoute>>> grouped = new HashMap<>();
    for (ServiceRoute route : routes) {
      grouped.computeIfAbsent(route.service().host(), h -> new HashMap<>())
          .put(route.port().port(), Optional.of(route));
    }
    Map<String, IntMap<Optional<ServiceRoute>>> byHost = new HashMap<>();
    grouped.forEach((host, ports) -> byHost.put(host, IntMap.copyOf(ports)));
    this.byHost = byHost;
    this.routes = Collections.unmodifiableList(new ArrayList<>(routes));
  }

  /** The route to port {@code port} of the Service with FQDN {@code host}; allocation-free. */
  public Optional<ServiceRoute> route(String host, int port) {
    IntMap<Optional<ServiceRoute>> ports = byHost.get(host);
    Optional<ServiceRoute> route = ports == null ? null : ports.get(port);
    return route == null ? Optional.empty() : route;
  }

  /** Every route. */
  public List<ServiceRoute> routes() {
    return routes;
  }
}
