package dev.weft.http.netty;

import dev.weft.mesh.Mesh;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** A Netty server on a loopback port with the Weft pipeline in front of {@link TestApp}. */
final class TestServer implements AutoCloseable {
  final TestApp app = new TestApp();
  final MeshServerInitializer weft;
  final int port;
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  TestServer(Mesh mesh, int containerPort) throws InterruptedException {
    weft = WeftNetty.serverInitializer(mesh, containerPort, app);
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(weft)
        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  String url(String scheme, String path) {
    return scheme + "://127.0.0.1:" + port + path;
  }

  @Override
  public void close() throws InterruptedException {
    server.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }
}
