package dev.weft.xds.internal;

import com.google.protobuf.Any;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream xDS source shared by several subscribers: the workload's own state (the primary,
 * whose answer decides the ACK or NACK upstream) and streams relayed to other xDS clients of the
 * process. Upstream it subscribes to the union of what they all want, so the process keeps one
 * stream; it keeps the last resources of each type, so a subscriber asking for names already
 * subscribed is answered at once; and it gives each subscriber only the names it asked for.
 *
 * <p>State of the world: a listener or cluster response names every resource that exists, so
 * each subscriber of that type gets one, even an empty one (what it wanted does not exist); a
 * route or endpoint response may name only some, so a subscriber gets it only if it names one of
 * its own.
 */
public final class XdsMultiplexer implements AdsClient.Handler {
  private static final Logger log = LoggerFactory.getLogger(XdsMultiplexer.class);
  private static final Set<String> COMPLETE_TYPES = Set.of(XdsNames.LISTENER, XdsNames.CLUSTER);

  /** Receives resources of one type on behalf of a relayed stream. */
  public interface Receiver {
    /**
     * {@code resources} of {@code typeUrl}, by name, at {@code version}: of a listener or
     * cluster every subscribed name that exists, of a route or endpoints at least one.
     */
    void receive(String typeUrl, String version, Map<String, Any> resources);
  }

  private final Object lock;
  private final AdsClient.Handler primary;
  private final Subscription primarySubscription;
  private final List<Subscription> relayed = new ArrayList<>();
  private final Map<String, Set<String>> upstreamNames = new HashMap<>();
  private final Map<String, CachedType> cache = new HashMap<>();
  private XdsSubscriber upstream = (typeUrl, names) -> { };

  /** The last resources received of one type. */
  private static final class CachedType {
    long version;
    /** The names the last response spoke for: upstream's subscription when it arrived. */
    Set<String> covered = new TreeSet<>();
    Map<String, Any> resources = new HashMap<>();
  }

  /**
   * A multiplexer guarded by {@code lock}, the lock of the upstream stream and of
   * {@code primary}, whose answer to each response is the answer upstream.
   */
  public XdsMultiplexer(Object lock, AdsClient.Handler primary) {
    this.lock = Objects.requireNonNull(lock, "lock");
    this.primary = Objects.requireNonNull(primary, "primary");
    this.primarySubscription = new Subscription(null);
  }

  /**
   * A multiplexer whose primary is {@code state}, subscribed through it, under the state's lock;
   * the upstream it subscribes through must hold {@link #lock()} too.
   */
  public static XdsMultiplexer over(WorkloadXdsState state) {
    XdsMultiplexer multiplexer = new XdsMultiplexer(state.lock(), state);
    state.subscribeThrough(multiplexer.primary());
    return multiplexer;
  }

  /** The lock of the workload's xDS: the state's, this multiplexer's and its upstream's. */
  public Object lock() {
    return lock;
  }

  /** Where the union of all subscriptions goes: the ADS stream, or an in-process source. */
  public void subscribeThrough(XdsSubscriber upstream) {
    synchronized (lock) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
      for (String type : XdsNames.TYPES_IN_ORDER) {
        Set<String> names = upstreamNames.get(type);
        if (names != null) {
          upstream.subscribe(type, names);
        }
      }
    }
  }

  /** How the primary subscribes. */
  public XdsSubscriber primary() {
    return primarySubscription;
  }

  /** A new relayed stream, which gets what it subscribes to through {@code receiver}. */
  public Subscription open(Receiver receiver) {
    Subscription subscription = new Subscription(Objects.requireNonNull(receiver, "receiver"));
    synchronized (lock) {
      relayed.add(subscription);
    }
    return subscription;
  }

  /** The names subscribed upstream of {@code typeUrl}: the union of every subscriber's. */
  public Set<String> upstreamSubscription(String typeUrl) {
    synchronized (lock) {
      return Set.copyOf(upstreamNames.getOrDefault(typeUrl, Set.of()));
    }
  }

  @Override
  public Map<String, String> apply(String typeUrl, Map<String, Any> resources) {
    synchronized (lock) {
      Set<String> union = upstreamNames.getOrDefault(typeUrl, Set.of());
      CachedType cached = cache.computeIfAbsent(typeUrl, type -> new CachedType());
      cached.version++;
      Map<String, Any> wanted = only(resources, union);
      if (COMPLETE_TYPES.contains(typeUrl)) {
        cached.resources = new HashMap<>(wanted);
        cached.covered = new TreeSet<>(union);
      } else {
        cached.resources.putAll(wanted);
      }
      String version = Long.toString(cached.version);
      Map<String, String> rejected = primarySubscription.deliver(typeUrl, version, wanted);
      for (Subscription subscription : List.copyOf(relayed)) {
        subscription.deliver(typeUrl, version, wanted);
      }
      return rejected;
    }
  }

  @Override
  public void connected(boolean up) {
    synchronized (lock) {
      primary.connected(up);
    }
  }

  private void updateUpstream(String typeUrl) {
    // Hashed, not sorted: a workload adding targets one by one comes here for each.
    Set<String> union = new HashSet<>(primarySubscription.names(typeUrl));
    for (Subscription subscription : relayed) {
      union.addAll(subscription.names(typeUrl));
    }
    Set<String> previous = upstreamNames.get(typeUrl);
    if (previous == null ? union.isEmpty() : previous.equals(union)) {
      return;
    }
    upstreamNames.put(typeUrl, Set.copyOf(union));
    CachedType cached = cache.get(typeUrl);
    if (cached != null) {
      cached.resources.keySet().retainAll(union);
      cached.covered.retainAll(union);
    }
    upstream.subscribe(typeUrl, union);
  }

  private static Map<String, Any> only(Map<String, Any> resources, Set<String> names) {
    Map<String, Any> kept = new LinkedHashMap<>();
    resources.forEach((name, resource) -> {
      if (names.contains(name)) {
        kept.put(name, resource);
      }
    });
    return kept;
  }

  /** What one subscriber (the primary, or a relayed stream) subscribes to. */
  public final class Subscription implements XdsSubscriber, AutoCloseable {
    private final Receiver receiver;
    private final Map<String, Set<String>> names = new HashMap<>();
    private boolean closed;

    private Subscription(Receiver receiver) {
      this.receiver = receiver;
    }

    @Override
    public void subscribe(String typeUrl, Set<String> wanted) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        Set<String> previous = names(typeUrl);
        Set<String> current = Set.copyOf(wanted);
        names.put(typeUrl, current);
        boolean known = upstreamNames.getOrDefault(typeUrl, Set.of()).containsAll(current);
        updateUpstream(typeUrl);
        if (known && !previous.containsAll(current)) {
          answerFromCache(typeUrl, current);
        }
      }
    }

    /** Stops the stream's subscriptions; upstream drops the names no one else wants. */
    @Override
    public void close() {
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        relayed.remove(this);
        names.clear();
        for (String type : XdsNames.TYPES_IN_ORDER) {
          updateUpstream(type);
        }
      }
    }

    private Set<String> names(String typeUrl) {
      return names.getOrDefault(typeUrl, Set.of());
    }

    private void answerFromCache(String typeUrl, Set<String> wanted) {
      CachedType cached = cache.get(typeUrl);
      if (cached == null
          || COMPLETE_TYPES.contains(typeUrl) && !cached.covered.containsAll(wanted)) {
        return;
      }
      Map<String, String> rejected =
          deliver(typeUrl, Long.toString(cached.version), only(cached.resources, wanted));
      if (!rejected.isEmpty()) {
        log.warn("cached xDS resources cannot be applied, the last good stays in force: {}",
            String.join("; ", rejected.values()));
      }
    }

    /** Hands over this subscriber's share of {@code resources}; returns what it rejected. */
    private Map<String, String> deliver(String typeUrl, String version,
        Map<String, Any> resources) {
      Set<String> subscribed = names.get(typeUrl);
      if (subscribed == null) {
        return Map.of();
      }
      Map<String, Any> share = only(resources, subscribed);
      if (share.isEmpty() && (!COMPLETE_TYPES.contains(typeUrl) || subscribed.isEmpty())) {
        return Map.of();
      }
      if (receiver == null) {
        return primary.apply(typeUrl, share);
      }
      try {
        receiver.receive(typeUrl, version, share);
      } catch (RuntimeException e) {
        log.warn("a relayed xDS stream could not take {} version {}", typeUrl, version, e);
      }
      return Map.of();
    }
  }
}
