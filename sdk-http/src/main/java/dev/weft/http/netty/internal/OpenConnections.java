package dev.weft.http.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admitted connections of one port. After every policy change, those the policy no longer
 * allows (plaintext after a flip to STRICT, mTLS after a flip to DISABLE) are closed gracefully:
 * HTTP/1.1 after the response in flight, HTTP/2 with GOAWAY once its open streams finish.
 */
final class OpenConnections {
  private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);

  private final InboundPort port;
  private final ChannelGroup channels =
      new DefaultChannelGroup("weft-port", GlobalEventExecutor.INSTANCE);

  OpenConnections(InboundPort port) {
    this.port = port;
  }

  void admit(Channel channel, InboundConnection connection) {
    connection.attachTo(channel);
    channels.add(channel);
    // A policy change between the decision and now was not seen by closeThoseNoLongerAllowed.
    if (!connection.stillAllowed()) {
      close(channel, connection);
    }
  }

  /** Runs on the mesh's thread after each policy change; must not throw into the mesh. */
  void closeThoseNoLongerAllowed() {
    for (Channel channel : channels) {
      try {
        InboundConnection.of(channel)
            .filter(connection -> !connection.stillAllowed())
            .ifPresent(connection -> close(channel, connection));
      } catch (RuntimeException e) {
        // A server shutting down refuses new tasks; its connections are closing anyway.
        log.debug("cannot close {} after a policy change", channel, e);
      }
    }
  }

  /** Closes {@code channel} gracefully, once, because the policy no longer allows it. */
  void close(Channel channel, InboundConnection connection) {
    if (!connection.startClosing()) {
      return;
    }
    channel.eventLoop().execute(() -> {
      Http1Draining http1 = channel.pipeline().get(Http1Draining.class);
      if (http1 != null) {
        http1.drain();
      } else {
        // Closing an HTTP/2 connection sends GOAWAY and waits for its open streams.
        channel.close();
      }
      port.counters().closedByPolicyChange.increment();
      port.logRefusal("closing " + connection.transport().describe() + " connection",
          channel.remoteAddress(), "the policy no longer allows it: " + port.refusalReason());
    });
  }
}
