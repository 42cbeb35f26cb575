package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state-of-the-world ADS stream to a control plane, for one workload. It keeps what the
 * workload subscribes to per type, hands every response to a {@link Handler} that applies what
 * it can, ACKs or NACKs with the handler's reasons, and after a broken stream reconnects with
 * jittered backoff and subscribes again — the handler keeps its last good resources meanwhile.
 *
 * <p>A workload that asks for one target after another must not send a request per target,
 * each naming every target so far: that is quadratic in requests and in what the control plane
 * translates and sends back. So while a request that named new resources is unanswered, further
 * additions of that type wait, and go out together as one request naming the latest set, with
 * the ACK or NACK of the response or, from a control plane that does not answer, after {@link
 * #HOLD_LIMIT}. A subscription that drops names goes out at once. Every request still names the
 * whole set, as state of the world has it.
 *
 * <p>Everything runs under the workload's xDS lock, the one its handler and subscribers hold too:
 * a response applied under one lock while a subscription waits on another could deadlock.
 */
public final class AdsClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdsClient.class);
  /** How long additions wait at most for the answer to an earlier request. */
  static final Duration HOLD_LIMIT = Duration.ofSeconds(1);

  /** Applies the resources of one response. */
  public interface Handler {
    /**
     * Applies {@code resources} (every resource of the type the control plane sent, by name),
     * keeping the last good version of any it rejects, and returns the reasons for the rejected
     * ones by name; empty when everything applied.
     */
    Map<String, String> apply(String typeUrl, Map<String, Any> resources);

    /** The stream is up again or down; informational. */
    default void connected(boolean up) {}
  }

  private final Object lock;
  private final Channel channel;
  private final Node node;
  private final Handler handler;
  private final ScheduledExecutorService scheduler;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Map<String, TypeState> types = new LinkedHashMap<>();
  private StreamObserver<DiscoveryRequest> requests;
  private Duration backoff;
  private boolean nodeSent;
  private boolean up;
  private boolean closed;
  private long streams;

  /** What was asked for and last accepted of one type. */
  private static final class TypeState {
    Set<String> names = Set.of();
    boolean requested;
    /** What the last request on this stream named. */
    Set<String> sentNames = Set.of();
    /** A request that named new resources is unanswered. */
    boolean awaitingResponse;
    /** Additions wait for that answer, and a send after {@link #HOLD_LIMIT} is scheduled. */
    boolean holding;
    String ackedVersion = "";
    String lastNonce = "";
  }

  public AdsClient(Object lock, Channel channel, Node node, Handler handler,
      ScheduledExecutorService scheduler, Duration initialBackoff, Duration maxBackoff) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.node = Objects.requireNonNull(node, "node");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.backoff = initialBackoff;
  }

  /** Opens the stream. */
  public void start() {
    synchronized (lock) {
      connect();
    }
  }

  /** Subscribes to exactly {@code names} of {@code typeUrl}; sends a request if that changed. */
  public void subscribe(String typeUrl, Set<String> names) {
    synchronized (lock) {
      TypeState state = types.computeIfAbsent(typeUrl, t -> new TypeState());
      Set<String> wanted = Set.copyOf(names);
      if (wanted.equals(state.names) && state.requested) {
        return;
      }
      state.names = wanted;
      state.requested = true;
      if (requests == null) {
        return;
      }
      if (state.awaitingResponse && wanted.containsAll(state.sentNames)) {
        if (!state.holding) {
          state.holding = true;
          long stream = streams;
          scheduler.schedule(() -> sendHeld(stream, typeUrl), HOLD_LIMIT.toMillis(),
              TimeUnit.MILLISECONDS);
        }
        return;
      }
      send(typeUrl, state, state.ackedVersion, state.lastNonce, null);
    }
  }

  /** Sends additions still held {@link #HOLD_LIMIT} after they began to wait. */
  private void sendHeld(long stream, String typeUrl) {
    synchronized (lock) {
      TypeState state = types.get(typeUrl);
      if (closed || stream != streams || requests == null || !state.holding) {
        return;
      }
      send(typeUrl, state, state.ackedVersion, state.lastNonce, null);
    }
  }

  private void connect() {
    if (closed) {
      return;
    }
    long stream = ++streams;
    nodeSent = false;
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse response) {
            received(stream, response);
          }

          @Override
          public void onError(Throwable t) {
            broken(stream, Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            broken(stream, Status.UNAVAILABLE.withDescription("the control plane closed the stream"));
          }
        });
    // Subscribe again to everything, naming the versions already accepted.
    types.forEach((type, state) -> {
      state.awaitingResponse = false;
      if (state.requested) {
        send(type, state, state.ackedVersion, "", null);
        state.awaitingResponse = true;
      }
    });
  }

  private void received(long stream, DiscoveryResponse response) {
    synchronized (lock) {
      if (closed || stream != streams) {
        return;
      }
      backoff = initialBackoff;
      if (!up) {
        up = true;
        handler.connected(true);
      }
      String type = response.getTypeUrl();
      TypeState state = types.computeIfAbsent(type, t -> new TypeState());
      Map<String, Any> resources = new HashMap<>();
      for (Any resource : response.getResourcesList()) {
        resources.put(XdsResourceNames.of(resource), resource);
      }
      Map<String, String> rejected;
      try {
        rejected = handler.apply(type, resources);
      } catch (RuntimeException e) {
        rejected = Map.of("*", "could not apply the response: " + e);
        log.error("applying {} version {} failed", type, response.getVersionInfo(), e);
      }
      state.lastNonce = response.getNonce();
      state.awaitingResponse = false;
      // The ACK or NACK names the latest set, so it carries any additions held meanwhile.
      if (rejected.isEmpty()) {
        state.ackedVersion = response.getVersionInfo();
        send(type, state, state.ackedVersion, response.getNonce(), null);
      } else {
        String reason = String.join("; ", new TreeSet<>(rejected.values()));
        log.warn("rejected {} version {} from the control plane: {}", shortType(type),
            response.getVersionInfo(), reason);
        send(type, state, state.ackedVersion, response.getNonce(), reason);
      }
    }
  }

  private void send(String type, TypeState state, String version, String nonce, String error) {
    DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder()
        .setTypeUrl(type)
        .addAllResourceNames(new TreeSet<>(state.names))
        .setVersionInfo(version)
        .setResponseNonce(nonce);
    if (!nodeSent) {
      request.setNode(node);
      nodeSent = true;
    }
    if (error != null) {
      request.setErrorDetail(com.google.rpc.Status.newBuilder()
          .setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(error));
    }
    if (!state.sentNames.containsAll(state.names)) {
      state.awaitingResponse = true;
    }
    state.sentNames = state.names;
    state.holding = false;
    requests.onNext(request.build());
  }

  private void broken(long stream, Status status) {
    synchronized (lock) {
      if (closed || stream != streams) {
        return;
      }
      up = false;
      handler.connected(false);
      Duration delay = Duration.ofMillis((long) (backoff.toMillis()
          * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
      log.warn("xDS stream to the control plane broke ({}: {}); keeping the configuration in "
          + "force and reconnecting in {} ms", status.getCode(), status.getDescription(),
          delay.toMillis());
      backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff
          : backoff.multipliedBy(2);
      requests = null;
      scheduler.schedule(this::reconnect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void reconnect() {
    synchronized (lock) {
      connect();
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (requests != null) {
        requests.onCompleted();
      }
    }
  }

  private static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }

}
