package dev.weft.controlplane.xds;

import dev.weft.xds.internal.WorkloadNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each workload was sent and what it made of it, per resource type, like
 * {@code istioctl proxy-status}: the version sent, the version acknowledged, and the last
 * rejection with the workload's own reason.
 */
public final class SyncStatus {
  private final Map<String, Workload> byNode = new ConcurrentHashMap<>();
  private final Object changes = new Object();

  /** The sync state of one resource type for one workload. */
  public record TypeStatus(
      String typeUrl, List<String> names, String sentVersion, Instant sentAt,
      Optional<String> ackedVersion, Optional<Instant> ackedAt,
      Optional<String> nackedVersion, Optional<String> nackReason, Optional<Instant> nackedAt) {

    /** Whether the last version sent was acknowledged. */
    public boolean synced() {
      return ackedVersion.filter(sentVersion::equals).isPresent();
    }
  }

  /**
   * The sync state of one workload, and how many streams it has open.
   *
   * @param generation the oldest generation of the control plane's state that any of its
   *     subscriptions was last computed from
   */
  public record Workload(
      WorkloadNode node, int streams, Instant connectedAt, Optional<Instant> disconnectedAt,
      long generation, Map<String, TypeStatus> types) {

    /** Whether it is connected and acknowledged everything it was sent. */
    public boolean synced() {
      return streams > 0 && types.values().stream().allMatch(TypeStatus::synced);
    }
  }

  /** Every workload seen, connected or not, by namespace and name. */
  public List<Workload> workloads() {
    List<Workload> all = new ArrayList<>(byNode.values());
    all.sort(Comparator.comparing((Workload w) -> w.node().namespace())
        .thenComparing(w -> w.node().name()));
    return all;
  }

  /** Waits until something changes, or at most {@code millis}. */
  void awaitChange(long millis) throws InterruptedException {
    synchronized (changes) {
      changes.wait(Math.max(1, millis));
    }
  }

  private void changed() {
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  void connected(WorkloadNode node) {
    byNode.compute(node.id(), (id, old) -> new Workload(node,
        old == null ? 1 : old.streams() + 1, Instant.now(), Optional.empty(),
        old == null ? 0 : old.generation(), old == null ? new TreeMap<>() : old.types()));
    changed();
  }

  void disconnected(WorkloadNode node) {
    byNode.computeIfPresent(node.id(), (id, old) -> {
      int streams = Math.max(0, old.streams() - 1);
      return new Workload(old.node(), streams, old.connectedAt(),
          streams == 0 ? Optional.of(Instant.now()) : Optional.empty(), old.generation(),
          old.types());
    });
    changed();
  }

  void computedFrom(WorkloadNode node, long generation) {
    byNode.computeIfPresent(node.id(), (id, old) -> new Workload(old.node(), old.streams(),
        old.connectedAt(), old.disconnectedAt(), generation, old.types()));
    changed();
  }

  void sent(WorkloadNode node, String typeUrl, List<String> names, String version) {
    update(node, typeUrl, old -> new TypeStatus(typeUrl, names, version, Instant.now(),
        old.map(TypeStatus::ackedVersion).orElse(Optional.empty()),
        old.map(TypeStatus::ackedAt).orElse(Optional.empty()),
        old.map(TypeStatus::nackedVersion).orElse(Optional.empty()),
        old.map(TypeStatus::nackReason).orElse(Optional.empty()),
        old.map(TypeStatus::nackedAt).orElse(Optional.empty())));
  }

  void acked(WorkloadNode node, String typeUrl, String version) {
    update(node, typeUrl, old -> {
      TypeStatus s = old.orElseThrow();
      return new TypeStatus(typeUrl, s.names(), s.sentVersion(), s.sentAt(),
          Optional.of(version), Optional.of(Instant.now()), s.nackedVersion(), s.nackReason(),
          s.nackedAt());
    });
  }

  void nacked(WorkloadNode node, String typeUrl, String version, String reason) {
    update(node, typeUrl, old -> {
      TypeStatus s = old.orElseThrow();
      return new TypeStatus(typeUrl, s.names(), s.sentVersion(), s.sentAt(), s.ackedVersion(),
          s.ackedAt(), Optional.of(version), Optional.of(reason), Optional.of(Instant.now()));
    });
  }

  private void update(WorkloadNode node, String typeUrl,
      java.util.function.Function<Optional<TypeStatus>, TypeStatus> change) {
    byNode.computeIfPresent(node.id(), (id, old) -> {
      Map<String, TypeStatus> types = new TreeMap<>(old.types());
      types.put(typeUrl, change.apply(Optional.ofNullable(types.get(typeUrl))));
      return new Workload(old.node(), old.streams(), old.connectedAt(), old.disconnectedAt(),
          old.generation(), types);
    });
    changed();
  }
}
