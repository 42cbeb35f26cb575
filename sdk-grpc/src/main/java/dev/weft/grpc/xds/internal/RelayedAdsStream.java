package dev.weft.grpc.xds.internal;

import com.google.protobuf.Any;
import dev.weft.xds.internal.XdsMultiplexer;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of grpc-java's ADS streams, relayed: what it subscribes to joins the workload's one
 * upstream subscription, and what arrives for it goes back with a version and a nonce of its
 * own. Its ACKs and NACKs are grpc-java's judgement of what it was sent; they are logged, not
 * forwarded, because upstream the workload's own answer counts.
 */
final class RelayedAdsStream implements StreamObserver<DiscoveryRequest>, XdsMultiplexer.Receiver {
  private static final Logger log = LoggerFactory.getLogger(RelayedAdsStream.class);

  private final StreamObserver<DiscoveryResponse> responses;
  private final XdsMultiplexer.Subscription subscription;
  private final Map<String, String> lastNonce = new HashMap<>();
  private String client = "an xDS client";
  private long nonces;

  RelayedAdsStream(StreamObserver<DiscoveryResponse> responses,
      Function<XdsMultiplexer.Receiver, XdsMultiplexer.Subscription> open) {
    this.responses = responses;
    this.subscription = open.apply(this);
  }

  @Override
  public void onNext(DiscoveryRequest request) {
    if (request.hasNode()) {
      client = "grpc-java's xDS client " + request.getNode().getUserAgentName() + " "
          + request.getNode().getUserAgentVersion();
    }
    String type = request.getTypeUrl();
    synchronized (this) {
      if (!request.getResponseNonce().isEmpty()
          && request.getResponseNonce().equals(lastNonce.get(type))) {
        if (request.hasErrorDetail()) {
          log.warn("{} rejected {} version {}: {}", client, shortType(type),
              request.getVersionInfo().isEmpty() ? "(none accepted yet)"
                  : "after " + request.getVersionInfo(),
              request.getErrorDetail().getMessage());
        } else {
          log.debug("{} accepted {} version {}", client, shortType(type),
              request.getVersionInfo());
        }
      }
    }
    subscription.subscribe(type, Set.copyOf(request.getResourceNamesList()));
  }

  @Override
  public void receive(String typeUrl, String version, Map<String, Any> resources) {
    DiscoveryResponse response;
    synchronized (this) {
      String nonce = Long.toString(++nonces);
      lastNonce.put(typeUrl, nonce);
      response = DiscoveryResponse.newBuilder()
          .setTypeUrl(typeUrl)
          .setVersionInfo(version)
          .setNonce(nonce)
          .addAllResources(GrpcJavaDialect.adapt(typeUrl, resources).values())
          .build();
    }
    // Called under the workload's xDS lock, so responses leave in the order they were made.
    responses.onNext(response);
  }

  @Override
  public void onError(Throwable t) {
    subscription.close();
  }

  @Override
  public void onCompleted() {
    subscription.close();
    responses.onCompleted();
  }

  private static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }
}
