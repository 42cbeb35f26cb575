package dev.weft.micronaut.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * Sets up a connection of Micronaut's HTTP client: Weft's {@link MeshConnection} first, then
 * the client's own handlers behind it.
 */
final class MeshClientInitializer extends ChannelInitializer<Channel> {
  private final MeshConnection connection;
  private final ChannelHandler clients;

  MeshClientInitializer(MeshConnection connection, ChannelHandler clients) {
    this.connection = connection;
    this.clients = clients;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel.pipeline().addLast(MeshConnection.NAME, connection).addLast(clients);
  }
}
