package dev.weft.grpc.xds.internal;

import dev.weft.xds.internal.XdsMultiplexer;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An ADS server on loopback that carries every xDS stream grpc-java opens (one per channel
 * target, one for servers) over the workload's one upstream stream. Plaintext, as istio-agent's
 * relay is: it carries only policy, no key, and only the process's own clients are told where it
 * listens.
 */
public final class XdsRelay implements AutoCloseable {
  private final Server server;

  private XdsRelay(Server server) {
    this.server = server;
  }

  /** Starts relaying to {@code multiplexer} on an ephemeral loopback port. */
  public static XdsRelay start(XdsMultiplexer multiplexer) throws IOException {
    Server server = NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            InsecureServerCredentials.create())
        .addService(new AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase() {
          @Override
          public StreamObserver<DiscoveryRequest> streamAggregatedResources(
              StreamObserver<DiscoveryResponse> responses) {
            return new RelayedAdsStream(responses, multiplexer::open);
          }
        })
        .build()
        .start();
    return new XdsRelay(server);
  }

  /** Where grpc-java reaches the relay: {@code host:port}. */
  public String target() {
    InetSocketAddress address = (InetSocketAddress) server.getListenSockets().get(0);
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** Ends every relayed stream and stops listening. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
