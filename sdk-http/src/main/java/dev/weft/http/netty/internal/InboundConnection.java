package dev.weft.http.netty.internal;

import dev.weft.identity.PeerIdentity;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted connection: how it came in, who the peer is, and the XFCC element this hop adds
 * to its requests. Kept on the connection's channel and on each of its HTTP/2 stream channels.
 */
public final class InboundConnection {
  private static final AttributeKey<InboundConnection> KEY =
      AttributeKey.valueOf(InboundConnection.class, "connection");

  private final InboundPort port;
  private final Transport transport;
  private final PeerIdentity peer;
  private final Optional<String> xfccElement;
  private final AtomicBoolean closing = new AtomicBoolean();

  private InboundConnection(InboundPort port, Transport transport, PeerIdentity peer,
      Optional<String> xfccElement) {
    this.port = port;
    this.transport = transport;
    this.peer = peer;
    this.xfccElement = xfccElement;
  }

  static InboundConnection plaintext(InboundPort port) {
    return new InboundConnection(port, Transport.PLAINTEXT, PeerIdentity.none(), Optional.empty());
  }

  static InboundConnection mtls(InboundPort port, PeerIdentity peer) {
    if (!peer.mtls()) {
      throw new IllegalArgumentException("an mTLS connection needs a peer with a SPIFFE ID");
    }
    return new InboundConnection(port, Transport.MTLS, peer,
        Optional.of(Xfcc.element(port.serverIdentity(), peer.spiffeId().orElseThrow(),
            peer.certificateChain().get(0))));
  }

  /** The connection of {@code channel}, a connection or one of its HTTP/2 streams, if admitted. */
  public static Optional<InboundConnection> of(Channel channel) {
    InboundConnection own = channel.attr(KEY).get();
    if (own == null && channel.parent() != null) {
      own = channel.parent().attr(KEY).get();
    }
    return Optional.ofNullable(own);
  }

  void attachTo(Channel channel) {
    channel.attr(KEY).set(this);
  }

  /** The verified peer, or {@link PeerIdentity#none()} in plaintext. */
  public PeerIdentity peer() {
    return peer;
  }

  Transport transport() {
    return transport;
  }

  Optional<String> xfccElement() {
    return xfccElement;
  }

  InboundPort port() {
    return port;
  }

  /** Whether the port's policy now still lets this connection in. */
  boolean stillAllowed() {
    return port.allows(transport);
  }

  /** Marks the connection as closing for a policy change; true only the first time. */
  boolean startClosing() {
    return closing.compareAndSet(false, true);
  }
}
