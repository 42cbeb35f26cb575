package dev.weft.micronaut.internal;

import dev.weft.http.netty.internal.InboundPort;
import dev.weft.mesh.Mesh;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;

/**
 * Puts the port's policy in front of each connection of the Micronaut server: the first bytes
 * say TLS or plaintext, the policy decides, and an admitted connection goes on to Micronaut's
 * own HTTP/1.1 codec, over mesh mTLS or in plaintext.
 */
final class MeshServerCustomizer implements NettyServerCustomizer {
  private final InboundPort port;
  private final Channel channel;

  private MeshServerCustomizer(InboundPort port) {
    this(port, null);
  }

  private MeshServerCustomizer(InboundPort port, Channel channel) {
    this.port = port;
    this.channel = channel;
  }

  /** The gate of {@code mesh}'s {@code containerPort}, in front of Micronaut's HTTP/1.1 codec. */
  static MeshServerCustomizer forPort(Mesh mesh, int containerPort) {
    return new MeshServerCustomizer(InboundPort.beforeHttp1Codec(mesh, containerPort,
        ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC));
  }

  @Override
  public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
    return role == ChannelRole.CONNECTION ? new MeshServerCustomizer(port, channel) : this;
  }

  @Override
  public void onInitialPipelineBuilt() {
    if (channel != null) {
      port.initialize(channel);
    }
  }
}
