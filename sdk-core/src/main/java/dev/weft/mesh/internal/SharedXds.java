package dev.weft.mesh.internal;

import dev.weft.identity.TrustDomain;
import dev.weft.xds.internal.AdsClient;
import dev.weft.xds.internal.NodeMetadata;
import dev.weft.xds.internal.WorkloadNode;
import dev.weft.xds.internal.WorkloadXdsState;
import dev.weft.xds.internal.XdsMultiplexer;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The one xDS stream of a workload in this process: every {@code Mesh} of the same workload and
 * control plane shares it, and so do the xDS clients it relays to, so a process never opens a
 * stream per listener or per target.
 */
public final class SharedXds {
  private static final Map<String, SharedXds> OPEN = new HashMap<>();
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "weft-xds-client");
        thread.setDaemon(true);
        return thread;
      });

  private final String key;
  private final ManagedChannel channel;
  private final AdsClient client;
  private final WorkloadXdsState state;
  private final XdsMultiplexer multiplexer;
  private int users;

  private SharedXds(String key, ManagedChannel channel, Channel authenticated, WorkloadNode node,
      TrustDomain trustDomain) {
    this.key = key;
    this.channel = channel;
    this.state = new WorkloadXdsState(trustDomain, node.authoredPolicy());
    this.multiplexer = XdsMultiplexer.over(state);
    this.client = new AdsClient(multiplexer.lock(), authenticated, NodeMetadata.toNode(node),
        multiplexer, SCHEDULER, Duration.ofMillis(500), Duration.ofSeconds(30));
    multiplexer.subscribeThrough(client::subscribe);
  }

  /**
   * The stream of {@code node} to {@code address}, opened with {@code connect} (a channel and
   * its authenticated view) if this process has none yet.
   */
  public static synchronized SharedXds acquire(String address, WorkloadNode node,
      TrustDomain trustDomain, Function<String, Channels> connect) {
    String key = address + "|" + node;
    SharedXds shared = OPEN.get(key);
    if (shared == null) {
      Channels channels = connect.apply(address);
      shared = new SharedXds(key, channels.channel(), channels.authenticated(), node, trustDomain);
      shared.client.start();
      OPEN.put(key, shared);
    }
    shared.users++;
    return shared;
  }

  /** A channel and the view of it that authenticates every call. */
  public record Channels(ManagedChannel channel, Channel authenticated) {}

  /** The workload's compiled xDS state. */
  public WorkloadXdsState state() {
    return state;
  }

  /** The stream as several xDS clients of this process share it. */
  public XdsMultiplexer multiplexer() {
    return multiplexer;
  }

  /** Gives up one use; the last one closes the stream. */
  public void release() {
    synchronized (SharedXds.class) {
      if (--users > 0) {
        return;
      }
      OPEN.remove(key);
    }
    client.close();
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
