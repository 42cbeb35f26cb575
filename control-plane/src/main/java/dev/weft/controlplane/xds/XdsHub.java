package dev.weft.controlplane.xds;

import dev.weft.identity.SpiffeId;
import dev.weft.policy.MeshResources;
import dev.weft.policy.ResolvedPolicy;
import io.grpc.BindableService;
import java.time.Duration;
import com.google.protobuf.Message;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The xDS side of the control plane: the registry of connected workloads, the state resolved
 * from configuration and registry, per-workload sync status, and the ADS service over them.
 */
public final class XdsHub implements AutoCloseable {
  private final ScheduledExecutorService scheduler;
  private final XdsPublisher publisher;
  private final WorkloadRegistry registry;
  private final SyncStatus status = new SyncStatus();

  public XdsHub(MeshResources resources, Duration registrationGrace, Duration debounce) {
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "weft-xds-publisher");
      thread.setDaemon(true);
      return thread;
    });
    this.publisher = new XdsPublisher(resources, scheduler, debounce);
    this.registry = new WorkloadRegistry(registrationGrace, scheduler, publisher::changed);
    this.publisher.attach(registry);
  }

  /**
   * The ADS service; {@code caller} gives the authenticated identity of the current call, whose
   * namespace and service account a stream's node must match, or empty where there is none.
   */
  public BindableService service(Supplier<Optional<SpiffeId>> caller) {
    return new AdsService(publisher, registry, status, caller);
  }

  /** Puts new configuration in force; streams get what changed after the quiet period. */
  public void update(MeshResources resources) {
    publisher.configChanged(resources);
  }

  /** The policy currently in force, resolved over the connected workloads. */
  public ResolvedPolicy policy() {
    return publisher.current().policy();
  }

  /**
   * What the translator yields now for each type a connected workload subscribed to, by type
   * URL and name: what it was last sent, if nothing changed since.
   */
  public Optional<Map<String, Map<String, Message>>> configDump(String nodeId) {
    for (SyncStatus.Workload workload : status.workloads()) {
      if (workload.node().id().equals(nodeId)) {
        Map<String, Map<String, Message>> dump = new TreeMap<>();
        workload.types().forEach((type, typeStatus) -> dump.put(type, publisher.current()
            .translator().resources(workload.node(), type, typeStatus.names())));
        return Optional.of(dump);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether every connected workload has been given the current state and acknowledged all of
   * it, with no change waiting to be pushed.
   */
  public boolean inSync() {
    if (publisher.changePending()) {
      return false;
    }
    long generation = publisher.current().generation();
    return status.workloads().stream().filter(w -> w.streams() > 0)
        .allMatch(w -> w.generation() >= generation && w.synced());
  }

  /** Waits until a workload's sync state changes, or at most {@code millis}. */
  public void awaitStatusChange(long millis) throws InterruptedException {
    status.awaitChange(millis);
  }

  /** Per-workload sync status. */
  public SyncStatus status() {
    return status;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
