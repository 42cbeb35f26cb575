package dev.weft.http.netty.internal;

import dev.weft.http.netty.InboundStats;
import dev.weft.identity.SpiffeId;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.Mesh;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container port a Weft server serves: its mesh, the TLS context and the HTTP stack every
 * connection gets, the connections open on it and what happened to them.
 */
public final class InboundPort {
  private static final Logger log = LoggerFactory.getLogger(InboundPort.class);

  private final Mesh mesh;
  private final int port;
  private final HttpServing serving;
  private final SslContext mtls;
  private final InboundCounters counters = new InboundCounters();
  private final RateLimitedLog refusals = new RateLimitedLog(log, Duration.ofSeconds(10));
  private final OpenConnections connections;

  private InboundPort(Mesh mesh, int port, HttpServing serving) {
    this.mesh = mesh;
    this.port = port;
    this.serving = serving;
    this.mtls = serving.mtlsContext(mesh.certificates());
    this.connections = new OpenConnections(this);
    mesh.addListener(connections::closeThoseNoLongerAllowed);
  }

  /**
   * The port {@code port} of {@code mesh}'s workload with Weft's own HTTP/2 and HTTP/1.1
   * stacks, serving {@code application} (added to each HTTP/1.1 connection's and each HTTP/2
   * stream's pipeline). Follows the mesh's policy changes.
   */
  public static InboundPort withOwnHttp(Mesh mesh, int port, ChannelHandler application) {
    return new InboundPort(mesh, port, new OwnHttpStacks(application));
  }

  /**
   * The port {@code port} of {@code mesh}'s workload in front of a framework's HTTP/1.1 stack,
   * whose server codec is the pipeline's handler {@code codecName}.
   */
  public static InboundPort beforeHttp1Codec(Mesh mesh, int port, String codecName) {
    return new InboundPort(mesh, port, new FrameworkHttp1Stack(codecName));
  }

  /** Sets up a new connection: the first handler decides what happens to it. */
  public void initialize(Channel channel) {
    channel.pipeline().addFirst("weft-transport", new TransportSniffer(this));
  }

  /** The port's policy now; empty when there is none yet, or the mesh is closed. */
  Optional<InboundPolicy> policy() {
    try {
      return mesh.inboundPolicy(port);
    } catch (IllegalStateException closedMesh) {
      return Optional.empty();
    }
  }

  /** Whether the policy now lets a connection over {@code transport} in. */
  boolean allows(Transport transport) {
    Optional<InboundPolicy> policy = policy();
    return policy.isPresent() && transport.allowedBy(policy.get());
  }

  /** Why the policy now refuses a connection, for logs. */
  String refusalReason() {
    return policy().map(InboundPolicy::reason).orElse("no policy for the port yet");
  }

  /** The container port. */
  public int port() {
    return port;
  }

  /** The SPIFFE ID of the server itself. */
  SpiffeId serverIdentity() {
    return mesh.identity();
  }

  SslContext mtlsContext() {
    return mtls;
  }

  HttpServing serving() {
    return serving;
  }

  InboundCounters counters() {
    return counters;
  }

  OpenConnections connections() {
    return connections;
  }

  /** What happened to the port's connections so far. */
  public InboundStats stats() {
    return counters.snapshot();
  }

  /** Logs that a connection from {@code peer} was refused or closed, and why. */
  void logRefusal(String what, SocketAddress peer, String reason) {
    refusals.log(what + " from " + peer + " on port " + port + ": " + reason);
  }

  /** Admits an accepted connection: it is tracked, and closed once the policy no longer allows it. */
  void admit(Channel channel, InboundConnection connection) {
    connections.admit(channel, connection);
  }
}
