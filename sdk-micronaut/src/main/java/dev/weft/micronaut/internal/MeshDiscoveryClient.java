package dev.weft.micronaut.internal;

import dev.weft.mesh.OutboundRoute;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.discovery.DiscoveryClient;
import io.micronaut.discovery.ServiceInstance;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves service IDs such as {@code httpbin.bar:8000} to mesh services, next to any other
 * discovery client (Consul, Eureka) in Micronaut's composite one. A service the mesh has a
 * route for is one instance, {@code http://<host>:<port>} as the ID names it: each connection
 * to it then takes an endpoint and TLS from the mesh's policy, so the policy holds on every
 * connection. An ID the mesh has no route for has no instance here. The mesh does not list its
 * services, so {@link #getServiceIds()} is empty.
 */
@Singleton
@Requires(property = "weft.enabled", notEquals = "false")
final class MeshDiscoveryClient implements DiscoveryClient {
  private static final Logger log = LoggerFactory.getLogger(MeshDiscoveryClient.class);

  private final MeshRoutes routes;

  MeshDiscoveryClient(MeshRoutes routes) {
    this.routes = Objects.requireNonNull(routes, "routes");
  }

  @Override
  public Publisher<List<ServiceInstance>> getInstances(String serviceId) {
    Optional<ServiceId> parsed = ServiceId.parse(serviceId);
    if (parsed.isEmpty()) {
      log.debug("{} cannot name a mesh service (host or host:port)", serviceId);
      return Publishers.just(List.of());
    }
    ServiceId id = parsed.get();
    return Publishers.fromCompletableFuture(() -> routes.find(id.host(), id.port())
        .thenApply(route -> route.map(found -> List.of(instance(serviceId, id, found)))
            .orElseGet(() -> {
              log.debug("{} has no mesh route ({}): no instance", serviceId, id);
              return List.of();
            })));
  }

  private static ServiceInstance instance(String serviceId, ServiceId id, OutboundRoute route) {
    return ServiceInstance.builder(serviceId, URI.create("http://" + id))
        .instanceId(id.toString())
        .metadata(Map.of("weft.cluster", route.cluster()))
        .build();
  }

  @Override
  public Publisher<List<String>> getServiceIds() {
    return Publishers.just(List.of());
  }

  @Override
  public String getDescription() {
    return "weft";
  }

  @Override
  public void close() {
    // The mesh is the application's and closes with it.
  }
}
