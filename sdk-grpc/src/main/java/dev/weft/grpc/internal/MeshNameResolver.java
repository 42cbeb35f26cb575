package dev.weft.grpc.internal;

import dev.weft.mesh.Mesh;
import dev.weft.mesh.OutboundRoute;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Resolves {@code weft:///host:port} to the endpoints of the mesh route, each carrying its TLS,
 * with the route's load balancing; and resolves again whenever the mesh's policy changes.
 */
final class MeshNameResolver extends NameResolver {
  private static final Duration FIRST_ANSWER_WAIT = Duration.ofSeconds(10);

  private final Mesh mesh;
  private final String host;
  private final int port;
  private final SynchronizationContext syncContext;
  private final Executor offload;
  private final ServiceConfigParser serviceConfigParser;
  private final Runnable onPolicyChange = this::resolveSoon;
  private Listener2 listener;
  private Optional<OutboundRoute> published = Optional.empty();
  private boolean answered;
  private boolean shutdown;

  MeshNameResolver(Mesh mesh, String host, int port, Args args, Executor offload) {
    this.mesh = mesh;
    this.host = host;
    this.port = port;
    this.syncContext = args.getSynchronizationContext();
    this.serviceConfigParser = args.getServiceConfigParser();
    this.offload = offload;
  }

  @Override
  public String getServiceAuthority() {
    return host + ":" + port;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    mesh.addListener(onPolicyChange);
    offload.execute(() -> {
      try {
        mesh.awaitOutboundRoute(host, port, FIRST_ANSWER_WAIT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      syncContext.execute(() -> {
        answered = true;
        resolve();
      });
    });
  }

  @Override
  public void refresh() {
    if (answered) {
      resolve();
    }
  }

  @Override
  public void shutdown() {
    shutdown = true;
    mesh.removeListener(onPolicyChange);
  }

  private void resolveSoon() {
    syncContext.execute(() -> {
      if (answered) {
        resolve();
      }
    });
  }

  private void resolve() {
    if (shutdown) {
      return;
    }
    Optional<OutboundRoute> route = mesh.outboundRoute(host, port);
    if (route.isPresent() && route.equals(published)) {
      return;
    }
    published = route;
    if (route.isEmpty()) {
      listener.onError(Status.UNAVAILABLE.withDescription("no mesh route to " + host + ":" + port
          + ": the control plane knows no such Service and port"));
      return;
    }
    ResolutionResult.Builder result = ResolutionResult.newBuilder()
        .setServiceConfig(serviceConfigParser.parseServiceConfig(
            LoadBalancingConfig.of(route.get().loadBalancer())));
    List<EquivalentAddressGroup> addresses = addresses(route.get());
    if (addresses.isEmpty()) {
      result.setAddressesOrError(StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(
          "no endpoint of " + host + ":" + port + " (cluster " + route.get().cluster() + ")")));
    } else {
      result.setAddressesOrError(StatusOr.fromValue(addresses));
    }
    listener.onResult2(result.build());
  }

  private static List<EquivalentAddressGroup> addresses(OutboundRoute route) {
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (OutboundRoute.Endpoint endpoint : route.endpoints()) {
      try {
        InetSocketAddress address = new InetSocketAddress(
            InetAddress.getByName(endpoint.address()), endpoint.port());
        groups.add(new EquivalentAddressGroup(address, Attributes.newBuilder()
            .set(RoutedEndpoint.KEY, new RoutedEndpoint(route, endpoint)).build()));
      } catch (UnknownHostException e) {
        // Endpoint addresses are IPs; a name that does not resolve is left out.
      }
    }
    return groups;
  }
}
