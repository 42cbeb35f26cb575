package dev.weft.controlplane.xds;

import dev.weft.xds.internal.WorkloadNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workloads connected to the control plane, like Istio's workload auto-registration: a
 * workload joins when its first xDS stream opens and leaves a grace period after its last one
 * closed, so a reconnect does not make its endpoints blink.
 */
final class WorkloadRegistry {
  private static final Logger log = LoggerFactory.getLogger(WorkloadRegistry.class);

  private final Duration grace;
  private final ScheduledExecutorService scheduler;
  private final Runnable onChange;
  private final Map<String, Entry> byId = new HashMap<>();

  private static final class Entry {
    WorkloadNode node;
    int streams;
    ScheduledFuture<?> removal;
  }

  WorkloadRegistry(Duration grace, ScheduledExecutorService scheduler, Runnable onChange) {
    this.grace = Objects.requireNonNull(grace, "grace");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.onChange = Objects.requireNonNull(onChange, "onChange");
  }

  /** Registers a stream of {@code node}; close the returned handle when the stream ends. */
  AutoCloseable register(WorkloadNode node) {
    boolean changed;
    synchronized (this) {
      Entry entry = byId.computeIfAbsent(node.id(), id -> new Entry());
      changed = !node.equals(entry.node);
      entry.node = node;
      entry.streams++;
      if (entry.removal != null) {
        entry.removal.cancel(false);
        entry.removal = null;
      }
    }
    if (changed) {
      log.info("workload {}/{} registered ({}, {})", node.namespace(), node.name(),
          node.weft() ? "Weft " + node.weftVersion().get() : "no Weft", node.id());
      onChange.run();
    }
    return new AutoCloseable() {
      private boolean closed;

      @Override
      public void close() {
        synchronized (WorkloadRegistry.this) {
          if (closed) {
            return;
          }
          closed = true;
          Entry entry = byId.get(node.id());
          if (entry != null && --entry.streams == 0) {
            entry.removal = scheduler.schedule(() -> remove(node.id()),
                grace.toMillis(), TimeUnit.MILLISECONDS);
          }
        }
      }
    };
  }

  private void remove(String id) {
    WorkloadNode removed;
    synchronized (this) {
      Entry entry = byId.get(id);
      if (entry == null || entry.streams > 0) {
        return;
      }
      byId.remove(id);
      removed = entry.node;
    }
    log.info("workload {}/{} left", removed.namespace(), removed.name());
    onChange.run();
  }

  /** The registered workloads. */
  synchronized List<WorkloadNode> nodes() {
    List<WorkloadNode> nodes = new ArrayList<>();
    byId.values().forEach(entry -> nodes.add(entry.node));
    return nodes;
  }
}
