package dev.weft.controlplane;

import dev.weft.xds.internal.NodeMetadata;
import dev.weft.xds.internal.WorkloadNode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare ADS client for tests: sends requests as written and collects every response. */
final class AdsTestClient implements AutoCloseable {
  final BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
  final CompletableFuture<Status> ended = new CompletableFuture<>();
  private final StreamObserver<DiscoveryRequest> requests;
  private final Node node;
  private boolean nodeSent;
  private boolean closed;

  AdsTestClient(ManagedChannel channel, WorkloadNode node) {
    this(channel, NodeMetadata.toNode(node));
  }

  /** A client that introduces itself with {@code node} exactly as given. */
  AdsTestClient(ManagedChannel channel, Node node) {
    this.node = node;
    this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            responses.add(response);
          }

          @Override
          public void onError(Throwable t) {
            ended.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            ended.complete(Status.OK);
          }
        });
  }

  /** Subscribes to {@code names} of {@code type}, acknowledging {@code ack} if given. */
  void request(String type, List<String> names, DiscoveryResponse ack) {
    DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
        .setTypeUrl(type).addAllResourceNames(names);
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    if (ack != null) {
      request.setVersionInfo(ack.getVersionInfo()).setResponseNonce(ack.getNonce());
    }
    requests.onNext(request.build());
  }

  /** Rejects {@code response} with {@code reason}, as a client NACKs. */
  void reject(DiscoveryResponse response, List<String> names, String reason) {
    requests.onNext(DiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .addAllResourceNames(names)
        .setResponseNonce(response.getNonce())
        .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(reason))
        .build());
  }

  /** The next response, waiting at most {@code timeout}. */
  DiscoveryResponse next(Duration timeout) throws InterruptedException {
    DiscoveryResponse response = responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (response == null) {
      throw new AssertionError("no response within " + timeout);
    }
    return response;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      requests.onCompleted();
    }
  }
}
