package dev.weft.http.netty;

import dev.weft.http.netty.internal.InboundPort;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;

/**
 * Puts a mesh port's policy in front of a Netty HTTP server: set it as the {@code childHandler}
 * of a {@code ServerBootstrap}. Made by {@link WeftNetty#serverInitializer}.
 */
public final class MeshServerInitializer extends ChannelInitializer<Channel> {
  private final InboundPort port;

  MeshServerInitializer(InboundPort port) {
    this.port = port;
  }

  @Override
  protected void initChannel(Channel channel) {
    port.initialize(channel);
  }

  /** The container port whose policy rules the connections. */
  public int containerPort() {
    return port.port();
  }

  /** What happened to the connections so far. */
  public InboundStats stats() {
    return port.stats();
  }
}
