package dev.weft.micronaut.internal;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import dev.weft.http.okhttp.internal.MeshFailures;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.OutboundRoute.Endpoint;
import dev.weft.mesh.UpstreamTls;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of Micronaut's HTTP client, in front of the client's own handlers. When the
 * client connects to the {@code host:port} of a mesh route, this connects to the endpoint
 * picked for the connection instead, with that endpoint's TLS, and hands the connection to the
 * client only once the handshake completed; a failure of the connection, or of a request on
 * it before a response, is reported in the words of the policy. A connection to a host outside
 * the mesh goes on as the client made it, and this handler leaves its pipeline.
 */
final class MeshConnection extends ChannelDuplexHandler {
  static final String NAME = "weft-mesh";
  static final String TLS_NAME = "weft-mesh-tls";
  private static final Logger log = LoggerFactory.getLogger(MeshConnection.class);

  private final OutboundMesh outbound;
  private final InetSocketAddress target;
  private final AddressResolverGroup<?> resolvers;

  // Touched on the channel's event loop only.
  private ChannelHandlerContext ctx;
  private OutboundRoute route;
  private Endpoint endpoint;
  private ChannelPromise handshaking;
  private boolean activeHeld;
  private boolean handedOver;
  private boolean awaitingResponse;
  private boolean reported;
  private boolean retired;
  private Exchanges exchanges;

  /**
   * A connection the client makes to {@code target} (unresolved, as the application wrote
   * it), resolving what is not a mesh route with the client's {@code resolvers}.
   */
  MeshConnection(OutboundMesh outbound, InetSocketAddress target,
      AddressResolverGroup<?> resolvers) {
    this.outbound = Objects.requireNonNull(outbound, "outbound");
    this.target = Objects.requireNonNull(target, "target");
    this.resolvers = Objects.requireNonNull(resolvers, "resolvers");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
      ChannelPromise promise) {
    CompletableFuture<Optional<OutboundRoute>> found =
        outbound.routes().find(target.getHostString(), target.getPort());
    if (found.isDone() && ctx.executor().inEventLoop()) {
      connect(ctx, remote, local, promise, found);
    } else {
      found.whenComplete((route, error) ->
          ctx.executor().execute(() -> connect(ctx, remote, local, promise, found)));
    }
  }

  private void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
      ChannelPromise promise, CompletableFuture<Optional<OutboundRoute>> found) {
    if (promise.isDone()) {
      return;
    }
    Optional<OutboundRoute> route;
    try {
      route = found.join();
    } catch (CompletionException e) {
      promise.tryFailure(e.getCause() != null ? e.getCause() : e);
      return;
    }
    if (route.isEmpty()) {
      passThrough(ctx, remote, local, promise);
    } else {
      connectToEndpoint(ctx, route.get(), remote, local, promise);
    }
  }

  /** Connects as the client would have, with its resolver, and leaves the pipeline. */
  private void passThrough(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
      ChannelPromise promise) {
    resolve(ctx, remote, resolvers).addListener((Future<SocketAddress> resolved) -> {
      if (resolved.isSuccess()) {
        ctx.connect(resolved.getNow(), local, promise);
      } else {
        promise.tryFailure(resolved.cause());
      }
      if (ctx.pipeline().context(this) != null) {
        ctx.pipeline().remove(this);
      }
    });
  }

  private void connectToEndpoint(ChannelHandlerContext ctx, OutboundRoute route,
      SocketAddress remote, SocketAddress local, ChannelPromise promise) {
    this.route = route;
    if (!isTarget(remote)) {
      promise.tryFailure(throughProxy(route));
      return;
    }
    Optional<Endpoint> picked = outbound.balancer().pick(route);
    if (picked.isEmpty()) {
      promise.tryFailure(MeshFailures.noEndpoint(route));
      return;
    }
    Endpoint endpoint = picked.get();
    this.endpoint = endpoint;
    if (!(endpoint.tls() instanceof UpstreamTls.Plaintext)) {
      try {
        ctx.pipeline().addBefore(ctx.name(), TLS_NAME,
            new SslHandler(outbound.tls().engine(endpoint, route.host())));
      } catch (SSLException e) {
        promise.tryFailure(MeshFailures.describe(route, endpoint, e));
        return;
      }
      handshaking = promise;
    }
    Runnable closed = outbound.opened(endpoint);
    outbound.connections().add(this);
    ctx.channel().closeFuture().addListener(ignored -> {
      closed.run();
      outbound.connections().remove(this);
    });
    log.debug("{}:{} connects to {}:{} ({})", route.host(), route.port(), endpoint.address(),
        endpoint.port(), endpoint.tls().describe());
    // A name (a WorkloadEntry may have one) by the client's resolver, an IP as it is.
    AddressResolverGroup<?> names = resolvers instanceof NoopAddressResolverGroup
        ? DefaultAddressResolverGroup.INSTANCE : resolvers;
    resolve(ctx, InetSocketAddress.createUnresolved(endpoint.address(), endpoint.port()), names)
        .addListener((Future<SocketAddress> resolved) -> {
          if (!resolved.isSuccess()) {
            failConnection(promise, resolved.cause());
            return;
          }
          ChannelPromise tcp = ctx.newPromise();
          tcp.addListener(connected -> {
            if (!connected.isSuccess()) {
              handshaking = null;
              failConnection(promise, connected.cause());
            } else if (handshaking == null) {
              promise.trySuccess();
            }
          });
          ctx.connect(resolved.getNow(), local, tcp);
        });
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (handshaking != null) {
      activeHeld = true;
    } else {
      handOver(ctx);
    }
  }

  private void handOver(ChannelHandlerContext ctx) {
    handedOver = true;
    watchExchanges(false);
    ctx.fireChannelActive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    // Events of the mesh's TLS are not the application's: only they come from before this.
    if (event instanceof SslHandshakeCompletionEvent done && endpoint != null) {
      handshakeDone(ctx, done);
    } else if (!(event instanceof SslCloseCompletionEvent && endpoint != null)) {
      ctx.fireUserEventTriggered(event);
    }
  }

  private void handshakeDone(ChannelHandlerContext ctx, SslHandshakeCompletionEvent done) {
    ChannelPromise promise = handshaking;
    handshaking = null;
    if (promise == null) {
      return;
    }
    if (!done.isSuccess()) {
      failConnection(promise, done.cause());
      return;
    }
    if (log.isDebugEnabled()) {
      SslHandler tls = (SslHandler) ctx.pipeline().get(TLS_NAME);
      log.debug("{} to {}:{} for {}:{}: {} {}", endpoint.tls().describe(), endpoint.address(),
          endpoint.port(), route.host(), route.port(), tls.engine().getSession().getProtocol(),
          tls.applicationProtocol());
    }
    if (activeHeld) {
      handOver(ctx);
    }
    promise.trySuccess();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
    if (hasBytes(message)) {
      awaitingResponse = true;
      reported = false;
      watchExchanges(true);
    }
    ctx.write(message, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    awaitingResponse = false;
    ctx.fireChannelRead(message);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (handshaking != null) {
      ChannelPromise promise = handshaking;
      handshaking = null;
      failConnection(promise, cause);
    } else if (!handedOver || (reported && awaitingResponse)) {
      // The client never had this connection, or already has this exchange's failure.
      log.debug("{}:{} after its failure was reported: {}", target.getHostString(),
          target.getPort(), cause.toString());
    } else if (awaitingResponse && endpoint != null) {
      reported = true;
      ctx.fireExceptionCaught(MeshFailures.describe(route, endpoint, asIo(cause)));
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshaking != null) {
      ChannelPromise promise = handshaking;
      handshaking = null;
      failConnection(promise, new EOFException("the connection closed during the TLS handshake"));
    }
    if (!handedOver) {
      return;
    }
    if (awaitingResponse && !reported && endpoint != null) {
      reported = true;
      ctx.fireExceptionCaught(MeshFailures.describe(route, endpoint,
          new EOFException("the server closed the connection before a response")));
    }
    ctx.fireChannelInactive();
  }

  /** Checks, after a change of policy, that the connection's endpoint and TLS still hold. */
  void recheck() {
    ChannelHandlerContext context = ctx;
    if (context != null) {
      context.executor().execute(() -> {
        if (endpoint != null && !retired && !stillHolds()) {
          retire();
        }
      });
    }
  }

  private boolean stillHolds() {
    return outbound.mesh().outboundRoute(route.host(), route.port())
        .map(current -> current.endpoints().stream().anyMatch(e ->
            e.address().equals(endpoint.address()) && e.port() == endpoint.port()
                && e.tls().equals(endpoint.tls())))
        .orElse(false);
  }

  /** Closes the connection now if it is between requests, else once its exchange ends. */
  private void retire() {
    retired = true;
    log.debug("{}:{}: the connection to {}:{} ({}) no longer matches the policy; retiring it",
        route.host(), route.port(), endpoint.address(), endpoint.port(),
        endpoint.tls().describe());
    if (exchanges != null) {
      exchanges.retire();
    } else if (handedOver && !awaitingResponse && isHttp1()) {
      closeNow();
    }
  }

  /**
   * Closes the connection at once, before the mesh's TLS (no close_notify to wait for), so the
   * client's pool sees it closed before it could hand it to another request.
   */
  private void closeNow() {
    ChannelHandlerContext tls = ctx.pipeline().context(TLS_NAME);
    (tls != null ? tls : ctx).close();
  }

  /** Watches the HTTP/1.1 exchanges once the client's codec is in place. */
  private void watchExchanges(boolean midRequest) {
    if (exchanges != null || endpoint == null || !isHttp1()) {
      return;
    }
    exchanges = new Exchanges(this::closeNow, midRequest);
    ctx.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_CLIENT_CODEC, Exchanges.NAME,
        exchanges);
    if (retired) {
      exchanges.retire();
    }
  }

  private boolean isHttp1() {
    return ctx.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_CLIENT_CODEC) != null
        && ctx.pipeline().get(HttpClientUpgradeHandler.class) == null;
  }

  private void failConnection(ChannelPromise promise, Throwable cause) {
    promise.tryFailure(MeshFailures.describe(route, endpoint, asIo(cause)));
  }

  private boolean isTarget(SocketAddress remote) {
    return remote instanceof InetSocketAddress address && address.isUnresolved()
        && address.getHostString().equals(target.getHostString())
        && address.getPort() == target.getPort();
  }

  private static MeshRequestException throughProxy(OutboundRoute route) {
    return new MeshRequestException(Failure.OTHER, route.host(), route.port(), Optional.empty(),
        route.host() + ":" + route.port() + " is a mesh service, which Weft connects to itself,"
            + " not through the HTTP client's proxy: leave it out of the proxy"
            + " (micronaut.http.client.proxy-selector)", List.of(), null);
  }

  private static IOException asIo(Throwable cause) {
    if (cause instanceof ConnectTimeoutException timeout) {
      SocketTimeoutException io = new SocketTimeoutException(timeout.getMessage());
      io.initCause(timeout);
      return io;
    }
    return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
  }

  private static boolean hasBytes(Object message) {
    return message instanceof ByteBuf bytes ? bytes.isReadable()
        : message instanceof ByteBufHolder holder && holder.content().isReadable();
  }

  @SuppressWarnings("unchecked")
  private static Future<SocketAddress> resolve(ChannelHandlerContext ctx, SocketAddress address,
      AddressResolverGroup<?> group) {
    AddressResolver<SocketAddress> resolver =
        (AddressResolver<SocketAddress>) group.getResolver(ctx.executor());
    if (!resolver.isSupported(address) || resolver.isResolved(address)) {
      return ctx.executor().newSucceededFuture(address);
    }
    return resolver.resolve(address);
  }
}
