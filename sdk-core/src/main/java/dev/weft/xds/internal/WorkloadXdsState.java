package dev.weft.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.cert.internal.HostAndPort;
import dev.weft.identity.TrustDomain;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import dev.weft.policy.WorkloadPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS resources one workload holds and what it compiles from them. It keeps the last good
 * version of each resource (a rejected one never replaces it), subscribes to what the resources
 * lead to (listener → route → cluster → endpoints) and publishes an immutable
 * {@link XdsSnapshot} after every change, off the request path.
 */
public final class WorkloadXdsState implements AdsClient.Handler {
  private static final Logger log = LoggerFactory.getLogger(WorkloadXdsState.class);

  private final Object lock;
  private final TrustDomain trustDomain;
  private final WorkloadPolicy authored;
  /** The conflicts between a listener and {@code @RequireMutualTls} already warned about. */
  private final Set<String> warnedConflicts = new HashSet<>();
  private final List<Consumer<XdsSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private XdsSubscriber subscriber = (type, names) -> { };
  private final Set<Integer> inboundPorts = new TreeSet<>();
  private final Set<String> targets = new TreeSet<>();
  private final Map<String, Listener> serverListeners = new HashMap<>();
  private final Map<String, RouteSource> clientListeners = new HashMap<>();
  private final Map<String, RouteConfiguration> routes = new HashMap<>();
  private final Map<String, ClusterSettings> clusters = new HashMap<>();
  /** As received: the multiplexer keeps the same bytes, so they are held once. */
  private final Map<String, Any> assignments = new HashMap<>();
  /** The endpoints read of each cluster's assignment, until either changes. */
  private final Map<String, ReadEndpoints> readEndpoints = new HashMap<>();
  private final Map<String, Set<String>> subscribed = new HashMap<>();
  /**
   * Endpoint names whose cluster's latest version was rejected, with the reason. A cluster and
   * its endpoints decide TLS together (the endpoint label means auto mTLS only under a cluster
   * without TLS), so their endpoints wait, or old cluster and new endpoints could mean plaintext.
   */
  private final Map<String, String> heldEndpoints = new HashMap<>();
  private volatile XdsSnapshot snapshot = XdsSnapshot.EMPTY;
  private boolean warnedAboutIstiod;

  /**
   * A state guarded by a lock of its own, which the multiplexer and stream it subscribes
   * through share (see {@link XdsMultiplexer#over}), so that applying a response and subscribing
   * never take two locks in two orders.
   */
  public WorkloadXdsState(TrustDomain trustDomain) {
    this(trustDomain, WorkloadPolicy.NONE);
  }

  /**
   * A state, as {@link #WorkloadXdsState(TrustDomain)}, for a workload that authored
   * {@code authored}, whose {@code @RequireMutualTls} it enforces on what it receives.
   */
  public WorkloadXdsState(TrustDomain trustDomain, WorkloadPolicy authored) {
    this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    this.authored = Objects.requireNonNull(authored, "authored");
    this.lock = new Object();
  }

  /** The lock everything that feeds this state holds. */
  Object lock() {
    return lock;
  }

  /** Where subscriptions go: the ADS client, or an in-process source. */
  public void subscribeThrough(XdsSubscriber subscriber) {
    synchronized (lock) {
      this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
      subscribed.clear();
      resubscribe();
    }
  }

  /** The latest compiled snapshot; never null. */
  public XdsSnapshot snapshot() {
    return snapshot;
  }

  /** Calls {@code listener} with every new snapshot. */
  public void addListener(Consumer<XdsSnapshot> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops calling {@code listener}. */
  public void removeListener(Consumer<XdsSnapshot> listener) {
    listeners.remove(listener);
  }

  /** Wants the policy of container port {@code port}. */
  public void watchInbound(int port) {
    synchronized (lock) {
      if (inboundPorts.add(port)) {
        resubscribe();
      }
    }
  }

  /** Wants the route to {@code host:port} as the application writes it. */
  public void watchOutbound(String host, int port) {
    synchronized (lock) {
      String target = new HostAndPort(host, port).toString();
      if (!targets.add(target)) {
        return;
      }
      if (clientListeners.containsKey(target)) {
        resubscribe();
      } else {
        // Nothing is known of it yet, so it adds its listener and nothing else: a workload
        // asking for thousands of targets one by one must not recompute every name each time.
        Set<String> listenerNames =
            new HashSet<>(subscribed.getOrDefault(XdsNames.LISTENER, Set.of()));
        listenerNames.add(target);
        update(XdsNames.LISTENER, listenerNames);
      }
    }
  }

  /** The listener name of a server port, as grpc-java and istiod name it. */
  public static String inboundListener(int port) {
    return XdsNames.INBOUND_LISTENER_PREFIX + "0.0.0.0:" + port;
  }

  @Override
  public Map<String, String> apply(String typeUrl, Map<String, Any> resources) {
    synchronized (lock) {
      Map<String, String> rejected = new TreeMap<>();
      switch (typeUrl) {
        case XdsNames.LISTENER -> applyListeners(resources, rejected);
        case XdsNames.ROUTE -> applyRoutes(resources, rejected);
        case XdsNames.CLUSTER -> applyClusters(resources, rejected);
        case XdsNames.ENDPOINT -> applyAssignments(resources, rejected);
        default -> rejected.put(typeUrl, "unsupported resource type " + typeUrl);
      }
      resubscribe();
      publish();
      return rejected;
    }
  }

  private void applyListeners(Map<String, Any> resources, Map<String, String> rejected) {
    // State of the world: a subscribed listener that is absent no longer exists.
    for (String name : subscribed.getOrDefault(XdsNames.LISTENER, Set.of())) {
      if (!resources.containsKey(name)) {
        serverListeners.remove(name);
        clientListeners.remove(name);
      }
    }
    resources.forEach((name, any) -> {
      try {
        Listener listener = Protos.parse(any, Listener.class);
        if (name.startsWith(XdsNames.INBOUND_LISTENER_PREFIX)) {
          int port = HostAndPort.parse(name.substring(XdsNames.INBOUND_LISTENER_PREFIX.length()))
              .port();
          InboundPolicy received = XdsInterpreter.inbound(listener, port);
          InboundPolicy policy = XdsInterpreter.floor(received, authored);
          warnIfIstiod(listener);
          warnIfRaised(received, policy);
          serverListeners.put(name, listener);
          log.debug("port {}: {}", port, policy);
        } else {
          clientListeners.put(name, XdsInterpreter.routeSource(listener));
        }
      } catch (InvalidResourceException e) {
        rejected.put(name, e.getMessage());
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        rejected.put(name, "Listener " + name + ": unreadable: " + e.getMessage());
      }
    });
  }

  private void applyRoutes(Map<String, Any> resources, Map<String, String> rejected) {
    // Indexed once per response: looking through every target for each route is quadratic.
    Map<String, List<String>> targetsByRoute = new HashMap<>();
    for (String target : targets) {
      if (clientListeners.get(target) instanceof RouteSource.Rds rds) {
        targetsByRoute.computeIfAbsent(rds.routeConfigName(), route -> new ArrayList<>())
            .add(target);
      }
    }
    resources.forEach((name, any) -> {
      try {
        RouteConfiguration config = Protos.parse(any, RouteConfiguration.class);
        for (String target : targetsByRoute.getOrDefault(name, List.of())) {
          HostAndPort hostPort = HostAndPort.parse(target);
          XdsInterpreter.clusterName(config, hostPort.host(), hostPort.port());
        }
        routes.put(name, config);
      } catch (InvalidResourceException e) {
        rejected.put(name, e.getMessage());
      } catch (InvalidProtocolBufferException e) {
        rejected.put(name, "RouteConfiguration " + name + ": unreadable: " + e.getMessage());
      }
    });
  }

  private void applyClusters(Map<String, Any> resources, Map<String, String> rejected) {
    for (String name : subscribed.getOrDefault(XdsNames.CLUSTER, Set.of())) {
      if (!resources.containsKey(name)) {
        clusters.remove(name);
        readEndpoints.remove(name);
      }
    }
    Set<String> released = new TreeSet<>();
    resources.forEach((name, any) -> {
      Cluster cluster;
      try {
        cluster = Protos.parse(any, Cluster.class);
      } catch (InvalidProtocolBufferException e) {
        rejected.put(name, "Cluster " + name + ": unreadable: " + e.getMessage());
        return;
      }
      String endpoints = cluster.getEdsClusterConfig().getServiceName().isEmpty()
          ? name : cluster.getEdsClusterConfig().getServiceName();
      try {
        clusters.put(name, XdsInterpreter.cluster(cluster, trustDomain));
        if (heldEndpoints.remove(endpoints) != null) {
          released.add(endpoints);
        }
      } catch (InvalidResourceException e) {
        rejected.put(name, e.getMessage());
        heldEndpoints.put(endpoints, e.getMessage());
      }
    });
    refetch(XdsNames.ENDPOINT, released);
  }

  private void applyAssignments(Map<String, Any> resources, Map<String, String> rejected) {
    Map<String, List<ClusterSettings>> clustersByAssignment = new HashMap<>();
    for (ClusterSettings cluster : clusters.values()) {
      clustersByAssignment.computeIfAbsent(cluster.edsServiceName(), eds -> new ArrayList<>())
          .add(cluster);
    }
    resources.forEach((name, any) -> {
      String held = heldEndpoints.get(name);
      if (held != null) {
        rejected.put(name, "ClusterLoadAssignment " + name + ": held back until its cluster can"
            + " be applied: " + held);
        return;
      }
      try {
        ClusterLoadAssignment assignment = Protos.parse(any, ClusterLoadAssignment.class);
        List<ReadEndpoints> read = new ArrayList<>();
        for (ClusterSettings cluster : clustersByAssignment.getOrDefault(name, List.of())) {
          read.add(new ReadEndpoints(cluster, any,
              XdsInterpreter.endpoints(assignment, cluster, trustDomain)));
        }
        assignments.put(name, any);
        read.forEach(endpoints -> readEndpoints.put(endpoints.cluster().name(), endpoints));
      } catch (InvalidResourceException e) {
        rejected.put(name, e.getMessage());
      } catch (InvalidProtocolBufferException e) {
        rejected.put(name, "ClusterLoadAssignment " + name + ": unreadable: " + e.getMessage());
      }
    });
  }

  /**
   * Asks again for {@code names} of {@code type}: a state-of-the-world source answers a
   * changed subscription, so leaving and re-joining gets their current version.
   */
  private void refetch(String type, Set<String> names) {
    Set<String> current = subscribed.get(type);
    if (names.isEmpty() || current == null || !current.containsAll(names)) {
      return;
    }
    Set<String> without = new TreeSet<>(current);
    without.removeAll(names);
    subscriber.subscribe(type, without);
    subscriber.subscribe(type, current);
  }

  /** Subscribes to what the resources held now lead to. */
  private void resubscribe() {
    Set<String> listenerNames = new TreeSet<>(targets);
    inboundPorts.forEach(port -> listenerNames.add(inboundListener(port)));
    Set<String> routeNames = new TreeSet<>();
    Set<String> clusterNames = new TreeSet<>();
    for (String target : targets) {
      RouteSource source = clientListeners.get(target);
      if (source instanceof RouteSource.Rds rds) {
        routeNames.add(rds.routeConfigName());
      }
      clusterName(target).ifPresent(clusterNames::add);
    }
    Set<String> assignmentNames = new TreeSet<>();
    for (String cluster : clusterNames) {
      ClusterSettings settings = clusters.get(cluster);
      if (settings != null) {
        assignmentNames.add(settings.edsServiceName());
      }
    }
    update(XdsNames.LISTENER, listenerNames);
    update(XdsNames.ROUTE, routeNames);
    update(XdsNames.CLUSTER, clusterNames);
    update(XdsNames.ENDPOINT, assignmentNames);
  }

  private void update(String type, Set<String> names) {
    if (names.isEmpty() && !subscribed.containsKey(type)) {
      return;
    }
    if (!names.equals(subscribed.get(type))) {
      subscribed.put(type, Set.copyOf(names));
      subscriber.subscribe(type, names);
    }
  }

  private Optional<String> clusterName(String target) {
    RouteSource source = clientListeners.get(target);
    RouteConfiguration config = source instanceof RouteSource.Inline inline
        ? inline.routeConfiguration()
        : source instanceof RouteSource.Rds rds ? routes.get(rds.routeConfigName()) : null;
    if (config == null) {
      return Optional.empty();
    }
    try {
      HostAndPort hostPort = HostAndPort.parse(target);
      return Optional.of(XdsInterpreter.clusterName(config, hostPort.host(),
          hostPort.port()));
    } catch (InvalidResourceException e) {
      log.warn("no route for {}: {}", target, e.getMessage());
      return Optional.empty();
    }
  }

  private void publish() {
    Map<Integer, InboundPolicy> inbound = new LinkedHashMap<>();
    for (int port : inboundPorts) {
      Listener listener = serverListeners.get(inboundListener(port));
      if (listener != null) {
        try {
          inbound.put(port, XdsInterpreter.inbound(listener, port, authored));
        } catch (InvalidResourceException e) {
          throw new IllegalStateException("a listener that was accepted no longer compiles", e);
        }
      }
    }
    Map<String, OutboundRoute> outbound = new LinkedHashMap<>();
    Map<String, String> absent = new LinkedHashMap<>();
    for (String target : targets) {
      if (clientListeners.get(target) instanceof RouteSource.Absent none) {
        absent.put(target, none.reason());
      }
      composeRoute(target).ifPresent(route -> outbound.put(target, route));
    }
    XdsSnapshot previous = snapshot;
    if (previous.inbound().equals(inbound) && previous.outbound().equals(outbound)
        && previous.absent().equals(absent)) {
      return;
    }
    XdsSnapshot next = new XdsSnapshot(previous.version() + 1, inbound, outbound, absent);
    snapshot = next;
    listeners.forEach(listener -> listener.accept(next));
  }

  private Optional<OutboundRoute> composeRoute(String target) {
    return clusterName(target).flatMap(name -> {
      ClusterSettings cluster = clusters.get(name);
      Any assignment = cluster == null ? null : assignments.get(cluster.edsServiceName());
      if (assignment == null) {
        return Optional.empty();
      }
      try {
        HostAndPort hostPort = HostAndPort.parse(target);
        return Optional.of(XdsInterpreter.compose(hostPort.host(), hostPort.port(),
            cluster, endpoints(cluster, assignment)));
      } catch (InvalidResourceException e) {
        log.warn("cannot compose the route to {}: {}", target, e.getMessage());
        return Optional.empty();
      }
    });
  }

  /** The endpoints of {@code cluster}, read again only when it or its assignment changed. */
  private List<OutboundRoute.Endpoint> endpoints(ClusterSettings cluster, Any assignment)
      throws InvalidResourceException {
    ReadEndpoints read = readEndpoints.get(cluster.name());
    if (read != null && read.cluster() == cluster && read.assignment() == assignment) {
      return read.endpoints();
    }
    ClusterLoadAssignment parsed;
    try {
      parsed = Protos.parse(assignment, ClusterLoadAssignment.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an assignment that was accepted no longer parses", e);
    }
    List<OutboundRoute.Endpoint> endpoints =
        XdsInterpreter.endpoints(parsed, cluster, trustDomain);
    readEndpoints.put(cluster.name(), new ReadEndpoints(cluster, assignment, endpoints));
    return endpoints;
  }

  /** The endpoints read of {@code assignment} for {@code cluster}. */
  private record ReadEndpoints(ClusterSettings cluster, Any assignment,
      List<OutboundRoute.Endpoint> endpoints) {}

  /** Warns once per conflict that the control plane's policy was raised by the workload's. */
  private void warnIfRaised(InboundPolicy received, InboundPolicy policy) {
    if (received.mode() != policy.mode()
        && warnedConflicts.add(received.port() + "|" + received.mode() + "|" + received.reason())) {
      log.warn("port {}: the control plane says {} ({}), but the workload requires mutual TLS"
          + " ({}): the port accepts mTLS only (STRICT)", received.port(), received.mode(),
          received.reason(), authored.mutualTlsRequiredBy().orElseThrow());
    }
  }

  private void warnIfIstiod(Listener listener) {
    if (!warnedAboutIstiod
        && !listener.getMetadata().getFilterMetadataMap().containsKey(XdsNames.WEFT_METADATA)) {
      warnedAboutIstiod = true;
      log.warn("the control plane is not Weft (istiod, most likely); it cannot express everything"
          + " Weft can: it sends PERMISSIVE as plaintext (or as mTLS to a pod labelled"
          + " security.istio.io/tlsMode=istio), sends no TLS for SIMPLE or MUTUAL"
          + " DestinationRules, and does not say which identity an auto-mTLS endpoint has, so"
          + " Weft then accepts any identity of the trust domain there");
      if (!authored.isEmpty()) {
        log.warn("the control plane does not read the policy the workload authored ({});"
            + " of it only @RequireMutualTls is enforced, by the workload itself: istiod does"
            + " not say which PeerAuthentication level a mode came from, so @PeerAuthentication"
            + " cannot take its place among them, and @DestinationRule is not applied",
            authored);
      }
    }
  }
}
