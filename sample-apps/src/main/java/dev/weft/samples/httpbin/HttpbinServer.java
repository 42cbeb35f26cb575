package dev.weft.samples.httpbin;

import dev.weft.http.netty.WeftNetty;
import dev.weft.mesh.Mesh;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The httpbin sample workload, started in-process: a Netty HTTP server with {@code /ip},
 * {@code /headers} and {@code /status/<code>}, either in the mesh through Weft or as a legacy
 * server with no Weft at all. The same handler answers both ways.
 */
public final class HttpbinServer implements AutoCloseable {
  private static final int EVENT_LOOP_THREADS = 2;

  private final EventLoopGroup group;
  private final Channel server;

  private HttpbinServer(InetSocketAddress bindAddress, ChannelHandler childHandler)
      throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, NioIoHandler.newFactory());
    try {
      server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(childHandler)
          .bind(bindAddress).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * httpbin in the mesh: serves container port {@code containerPort} of {@code mesh}'s workload
   * (started) on {@code bindAddress}, as its PeerAuthentication says.
   */
  public static HttpbinServer withWeft(Mesh mesh, int containerPort,
      InetSocketAddress bindAddress) throws InterruptedException {
    return new HttpbinServer(Objects.requireNonNull(bindAddress, "bindAddress"),
        WeftNetty.serverInitializer(mesh, containerPort, new HttpbinApplication()));
  }

  /** httpbin with no mesh, plaintext HTTP/1.1 on {@code bindAddress}. */
  public static HttpbinServer legacy(InetSocketAddress bindAddress) throws InterruptedException {
    HttpbinApplication application = new HttpbinApplication();
    return new HttpbinServer(Objects.requireNonNull(bindAddress, "bindAddress"),
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(new HttpServerCodec(), application);
          }
        });
  }

  /** The port it listens on (the bound one, when asked for port 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
