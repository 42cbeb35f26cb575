package dev.weft.controlplane.xds;

import dev.weft.policy.MeshResources;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The xDS side of the control plane: registry, published state, status and the gRPC servers. */
public final class XdsServer implements AutoCloseable {
  private final ScheduledExecutorService scheduler;
  private final XdsPublisher publisher;
  private final WorkloadRegistry registry;
  private final SyncStatus status = new SyncStatus();
  private final int requestedPlaintextPort;
  private Server plaintext;

  public XdsServer(MeshResources resources, Duration registrationGrace, Duration debounce,
      int plaintextPort) {
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "weft-xds-publisher");
      thread.setDaemon(true);
      return thread;
    });
    this.publisher = new XdsPublisher(resources, scheduler, debounce);
    this.registry = new WorkloadRegistry(registrationGrace, scheduler, publisher::changed);
    this.publisher.attach(registry);
    this.requestedPlaintextPort = plaintextPort;
  }

  /** Starts the servers that were asked for. */
  public void start() throws IOException {
    if (requestedPlaintextPort >= 0) {
      plaintext = NettyServerBuilder.forAddress(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPlaintextPort),
              InsecureServerCredentials.create())
          .addService(new AdsService(publisher, registry, status, Optional::empty))
          .build()
          .start();
    }
  }

  /** The plaintext port, or -1. */
  public int plaintextPort() {
    return plaintext == null ? -1 : plaintext.getPort();
  }

  /** Puts new configuration in force. */
  public void update(MeshResources resources) {
    publisher.configChanged(resources);
  }

  /** Per-workload sync status. */
  public SyncStatus status() {
    return status;
  }

  @Override
  public void close() {
    if (plaintext != null) {
      plaintext.shutdownNow();
      try {
        plaintext.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scheduler.shutdownNow();
  }

}
