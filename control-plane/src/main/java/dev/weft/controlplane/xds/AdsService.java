package dev.weft.controlplane.xds;

import dev.weft.identity.SpiffeId;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Supplier;

/** The aggregated discovery service: one {@link AdsStream} per stream. */
final class AdsService extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
  private final XdsPublisher publisher;
  private final WorkloadRegistry registry;
  private final SyncStatus status;
  private final Supplier<Optional<SpiffeId>> caller;

  AdsService(XdsPublisher publisher, WorkloadRegistry registry, SyncStatus status,
      Supplier<Optional<SpiffeId>> caller) {
    this.publisher = publisher;
    this.registry = registry;
    this.status = status;
    this.caller = caller;
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamAggregatedResources(
      StreamObserver<DiscoveryResponse> responses) {
    return new AdsStream(responses, publisher, registry, status, caller.get());
  }
}
