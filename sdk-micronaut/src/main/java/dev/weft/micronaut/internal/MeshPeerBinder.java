package dev.weft.micronaut.internal;

import dev.weft.http.netty.WeftNetty;
import dev.weft.identity.PeerIdentity;
import dev.weft.identity.SpiffeId;
import dev.weft.micronaut.MeshPeer;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.bind.binders.AnnotatedRequestArgumentBinder;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.netty.NettyHttpRequest;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Binds {@link MeshPeer} arguments ({@code PeerIdentity} or {@code SpiffeId}, optionally in an
 * {@code Optional}) to the identity the connection's mTLS handshake verified.
 */
@Singleton
final class MeshPeerBinder implements AnnotatedRequestArgumentBinder<MeshPeer, Object> {
  @Override
  public Class<MeshPeer> getAnnotationType() {
    return MeshPeer.class;
  }

  @Override
  public BindingResult<Object> bind(ArgumentConversionContext<Object> context,
      HttpRequest<?> request) {
    Argument<?> argument = context.getArgument();
    boolean optional = argument.getType() == Optional.class;
    Class<?> type = optional
        ? argument.getFirstTypeVariable().<Class<?>>map(Argument::getType).orElse(Object.class)
        : argument.getType();
    PeerIdentity peer = peerOf(request);
    Optional<Object> value;
    if (type == PeerIdentity.class) {
      value = peer.mtls() ? Optional.of(peer) : Optional.empty();
    } else if (type == SpiffeId.class) {
      value = peer.spiffeId().map(id -> id);
    } else {
      throw new IllegalStateException("@MeshPeer binds PeerIdentity or SpiffeId, not "
          + argument.getTypeString(true) + " (argument " + argument.getName() + ")");
    }
    if (optional) {
      Optional<Object> wrapped = Optional.of(value);
      return () -> wrapped;
    }
    if (value.isEmpty() && !argument.isNullable()) {
      throw new HttpStatusException(HttpStatus.FORBIDDEN,
          "this endpoint needs the caller's mesh identity, and the request came in plaintext");
    }
    return () -> value;
  }

  private static PeerIdentity peerOf(HttpRequest<?> request) {
    if (request instanceof NettyHttpRequest<?> netty) {
      return WeftNetty.peerIdentity(netty.getChannelHandlerContext().channel());
    }
    return PeerIdentity.none();
  }
}
