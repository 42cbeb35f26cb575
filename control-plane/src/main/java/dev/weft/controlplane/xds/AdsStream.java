package dev.weft.controlplane.xds;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.weft.identity.SpiffeId;
import dev.weft.identity.TrustDomain;
import dev.weft.xds.internal.NodeMetadata;
import dev.weft.xds.internal.WorkloadNode;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state-of-the-world ADS stream: it learns the workload from the first request, answers
 * each subscription with exactly the resources asked for, records ACKs and NACKs, and pushes
 * a type again only when what it would send changed.
 *
 * <p>The resources are per workload (each one's auto-mTLS and inbound decisions differ) and a
 * subscription may name a host that does not exist; such a request must still be answered
 * with the names that do. java-control-plane's snapshot cache holds the watch open while any
 * requested name is missing, so a client asking for one unknown host would get nothing at all;
 * its xDS messages are used, its cache and server are not.
 */
final class AdsStream implements StreamObserver<DiscoveryRequest> {
  private static final Logger log = LoggerFactory.getLogger(AdsStream.class);

  private final StreamObserver<DiscoveryResponse> responses;
  private final XdsPublisher publisher;
  private final WorkloadRegistry registry;
  private final SyncStatus status;
  private final Optional<SpiffeId> caller;
  private final Runnable push = this::pushAll;
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private WorkloadNode node;
  private AutoCloseable registration;
  private long nonces;
  private boolean closed;

  /** What the workload asked for of one type, and what it was last sent. */
  private static final class Subscription {
    List<String> names = List.of();
    String sentVersion;
    String nonce;
    long generation;
  }

  AdsStream(StreamObserver<DiscoveryResponse> responses, XdsPublisher publisher,
      WorkloadRegistry registry, SyncStatus status, Optional<SpiffeId> caller) {
    this.responses = responses;
    this.publisher = publisher;
    this.registry = registry;
    this.status = status;
    this.caller = caller;
  }

  @Override
  public synchronized void onNext(DiscoveryRequest request) {
    if (closed) {
      return;
    }
    if (node == null && !start(request)) {
      return;
    }
    String type = request.getTypeUrl();
    Subscription subscription = subscriptions.computeIfAbsent(type, t -> new Subscription());
    if (!request.getResponseNonce().isEmpty()) {
      if (!request.getResponseNonce().equals(subscription.nonce)) {
        return; // An answer to a response this one superseded: the spec says ignore it.
      }
      if (request.hasErrorDetail()) {
        String reason = request.getErrorDetail().getMessage();
        log.warn("{}/{} rejected {} version {}: {}", node.namespace(), node.name(),
            shortType(type), subscription.sentVersion, reason);
        status.nacked(node, type, subscription.sentVersion, reason);
      } else {
        status.acked(node, type, request.getVersionInfo());
      }
    }
    List<String> names = new ArrayList<>(new TreeSet<>(request.getResourceNamesList()));
    if (!names.equals(subscription.names) || subscription.nonce == null) {
      subscription.names = names;
      send(publisher.current(), type, subscription, true);
      status.computedFrom(node, oldestGeneration());
    }
  }

  private boolean start(DiscoveryRequest request) {
    if (!request.hasNode()) {
      return fail(Status.INVALID_ARGUMENT.withDescription(
          "the first request of a stream must carry the node"));
    }
    try {
      node = NodeMetadata.fromNode(request.getNode());
    } catch (IllegalArgumentException e) {
      return fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    }
    if (caller.isPresent()) {
      TrustDomain trustDomain = publisher.current().policy().meshConfig().trustDomain();
      SpiffeId claimed = SpiffeId.forServiceAccount(trustDomain, node.namespace(),
          node.serviceAccount());
      if (!caller.get().equals(claimed)) {
        return fail(Status.PERMISSION_DENIED.withDescription("authenticated as " + caller.get()
            + " but the node claims namespace " + node.namespace() + " and service account "
            + node.serviceAccount()));
      }
    }
    registration = registry.register(node);
    status.connected(node);
    publisher.addStream(push);
    return true;
  }

  private synchronized void pushAll() {
    if (closed || node == null) {
      return;
    }
    XdsState state = publisher.current();
    subscriptions.forEach((type, subscription) -> send(state, type, subscription, false));
    status.computedFrom(node, oldestGeneration());
  }

  private long oldestGeneration() {
    return subscriptions.values().stream().mapToLong(s -> s.generation).min().orElse(0);
  }

  private void send(XdsState state, String type, Subscription subscription, boolean always) {
    Map<String, Message> resources =
        state.translator().resources(node, type, subscription.names);
    subscription.generation = state.generation();
    String version = version(resources);
    if (!always && version.equals(subscription.sentVersion)) {
      return;
    }
    DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
        .setTypeUrl(type)
        .setVersionInfo(version)
        .setNonce(Long.toString(++nonces));
    resources.values().forEach(resource -> response.addResources(Any.pack(resource)));
    subscription.sentVersion = version;
    subscription.nonce = response.getNonce();
    status.sent(node, type, subscription.names, version);
    log.debug("sent {} {} version {} to {}", resources.size(), shortType(type), version,
        node.id());
    responses.onNext(response.build());
  }

  @Override
  public void onError(Throwable t) {
    log.debug("stream of {} failed: {}", node == null ? "an unknown node" : node.id(), t.toString());
    end();
  }

  @Override
  public void onCompleted() {
    synchronized (this) {
      if (!closed) {
        responses.onCompleted();
      }
    }
    end();
  }

  private synchronized boolean fail(Status failure) {
    log.warn("refused an xDS stream: {}", failure.getDescription());
    closed = true;
    responses.onError(failure.asRuntimeException());
    return false;
  }

  private synchronized void end() {
    closed = true;
    publisher.removeStream(push);
    if (node != null) {
      status.disconnected(node);
      try {
        registration.close();
      } catch (Exception e) {
        log.warn("could not unregister {}", node.id(), e);
      }
    }
  }

  /** A version that changes exactly when the resources do. */
  private static String version(Map<String, Message> resources) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, Message> resource : resources.entrySet()) {
        sha.update(resource.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.useDeterministicSerialization();
        resource.getValue().writeTo(out);
        out.flush();
        sha.update(bytes.toByteArray());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }
}
