package dev.weft.http.netty;

import dev.weft.http.netty.internal.InboundConnection;
import dev.weft.http.netty.internal.InboundPort;
import dev.weft.identity.PeerIdentity;
import dev.weft.mesh.Mesh;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.Objects;

/**
 * Weft for Netty HTTP servers.
 *
 * <pre>{@code
 * new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
 *     .childHandler(WeftNetty.serverInitializer(mesh, 80, new ChannelInitializer<Channel>() {
 *       protected void initChannel(Channel ch) {
 *         ch.pipeline().addLast(new HttpObjectAggregator(65536), new MyHandler());
 *       }
 *     }))
 *     .bind(8080);
 * }</pre>
 *
 * <p>Each connection is let in or refused as the port's Istio {@code PeerAuthentication} says,
 * speaks mTLS with the workload's certificate or plaintext, HTTP/2 or HTTP/1.1, and the
 * application's handlers see HTTP/1-style objects either way, with the caller's identity in
 * {@link #peerIdentity} and in {@code x-forwarded-client-cert}, as a sidecar would set it.
 */
public final class WeftNetty {
  private WeftNetty() {}

  /**
   * A child handler for a server serving {@code containerPort} of {@code mesh}'s workload. The
   * {@code application} handler, usually a {@code ChannelInitializer<Channel>}, must be sharable:
   * it is added after the HTTP codec of each HTTP/1.1 connection (a socket channel) and of each
   * HTTP/2 stream (a stream channel).
   *
   * @throws IllegalArgumentException if {@code application} is not {@code @Sharable}
   * @throws IllegalStateException if {@code mesh} is not started
   */
  public static MeshServerInitializer serverInitializer(
      Mesh mesh, int containerPort, ChannelHandler application) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(application, "application");
    if (containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("containerPort must be 1..65535: " + containerPort);
    }
    if (!application.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) {
      throw new IllegalArgumentException("the application handler "
          + application.getClass().getName()
          + " is added to many pipelines, so it must be @Sharable (a ChannelInitializer is)");
    }
    return new MeshServerInitializer(InboundPort.withOwnHttp(mesh, containerPort, application));
  }

  /**
   * The verified caller of a connection or HTTP/2 stream channel a Weft server set up;
   * {@link PeerIdentity#none()} for plaintext and for channels Weft did not set up.
   */
  public static PeerIdentity peerIdentity(Channel channel) {
    Objects.requireNonNull(channel, "channel");
    return InboundConnection.of(channel).map(InboundConnection::peer).orElse(PeerIdentity.none());
  }
}
