package dev.weft.controlplane.xds;

import dev.weft.cert.internal.HostAndPort;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.Workload;
import dev.weft.policy.WorkloadEntry;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.XdsTranslator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state streams translate from: on every change of configuration or of the registry
 * it waits a short quiet period, resolves policy once, and tells every stream to push what
 * changed for it.
 */
final class XdsPublisher {
  private static final Logger log = LoggerFactory.getLogger(XdsPublisher.class);

  private final ScheduledExecutorService scheduler;
  private final Duration debounce;
  private final List<Runnable> streams = new CopyOnWriteArrayList<>();
  private WorkloadRegistry registry;
  private volatile MeshResources resources;
  private volatile XdsState state;
  private ScheduledFuture<?> pending;
  /** A change arrived since the running or next publish read the configuration. */
  private boolean dirty;

  XdsPublisher(MeshResources resources, ScheduledExecutorService scheduler, Duration debounce) {
    this.resources = resources;
    this.scheduler = scheduler;
    this.debounce = debounce;
  }

  /** Attaches the registry whose workloads are the endpoints; computes the first state. */
  void attach(WorkloadRegistry registry) {
    this.registry = registry;
    state = compute(0);
  }

  /** The current state. */
  XdsState current() {
    return state;
  }

  /** New configuration is in force. */
  void configChanged(MeshResources resources) {
    this.resources = resources;
    changed();
  }

  /**
   * Something changed: recompute after the quiet period. A change that arrives while a publish
   * runs is published again right after it, never lost.
   */
  synchronized void changed() {
    dirty = true;
    if (pending == null || pending.isDone()) {
      pending = scheduler.schedule(this::publish, debounce.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Whether a change waits to be computed and pushed. */
  synchronized boolean changePending() {
    return pending != null && !pending.isDone();
  }

  void addStream(Runnable push) {
    streams.add(push);
  }

  void removeStream(Runnable push) {
    streams.remove(push);
  }

  private void publish() {
    synchronized (this) {
      dirty = false;
    }
    try {
      state = compute(state.generation() + 1);
      streams.forEach(Runnable::run);
    } catch (RuntimeException e) {
      log.error("could not recompute xDS; the previous state stays in force", e);
    }
    synchronized (this) {
      if (dirty) {
        pending = scheduler.schedule(this::publish, debounce.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private XdsState compute(long generation) {
    MeshResources current = resources;
    List<WorkloadNode> nodes = registry.nodes();
    Map<Workload, WorkloadNode> nodeOf = new HashMap<>();
    for (WorkloadNode node : nodes) {
      nodeOf.put(node.workload(), node);
    }
    Map<Workload, WorkloadEntry> entryOf = new HashMap<>();
    for (WorkloadEntry entry : current.workloadEntries()) {
      entryOf.put(entry.toWorkload(), entry);
    }
    ResolvedPolicy policy = PolicyResolver.resolve(current, nodeOf.keySet());
    XdsTranslator translator = new XdsTranslator(policy, (workload, port) -> {
      WorkloadNode node = nodeOf.get(workload);
      if (node != null) {
        return node.address(port);
      }
      WorkloadEntry entry = entryOf.get(workload);
      return entry == null || entry.address().isEmpty() ? Optional.empty()
          : Optional.of(new HostAndPort(entry.address(), port));
    });
    log.debug("xDS state {}: {} workloads, {} services", generation, nodes.size(),
        policy.services().size());
    return new XdsState(generation, policy, translator);
  }
}
