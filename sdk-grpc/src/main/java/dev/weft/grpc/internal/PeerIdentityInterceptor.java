package dev.weft.grpc.internal;

import dev.weft.identity.PeerIdentity;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the caller's identity, as its TLS session proved it, into the {@link Context} of every
 * call. It reads only the transport's session, so it works behind Weft's credentials and behind
 * grpc-java's own xDS credentials alike.
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(PeerIdentityInterceptor.class);

  /** The caller of the current call; {@link PeerIdentity#none()} outside a call. */
  public static final Context.Key<PeerIdentity> PEER_IDENTITY =
      Context.keyWithDefault("weft-peer-identity", PeerIdentity.none());

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    PeerIdentity peer = session == null ? PeerIdentity.none() : identityOf(session);
    return Contexts.interceptCall(Context.current().withValue(PEER_IDENTITY, peer), call, headers,
        next);
  }

  private static PeerIdentity identityOf(SSLSession session) {
    try {
      return PeerIdentity.of(session);
    } catch (IllegalStateException e) {
      // A TLS peer whose certificate is no SVID proved no mesh identity: it gets none.
      log.debug("caller without a SPIFFE identity: {}", e.getMessage());
      return PeerIdentity.none();
    }
  }
}
