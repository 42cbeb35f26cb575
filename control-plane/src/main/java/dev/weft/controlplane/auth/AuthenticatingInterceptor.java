package dev.weft.controlplane.auth;

import dev.weft.identity.SpiffeId;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusException;
import java.net.SocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call with a {@link CallerAuthenticator}: an authenticated call runs with
 * its {@link Caller} in {@link #CALLER}; any other is closed with {@code UNAUTHENTICATED}.
 */
public final class AuthenticatingInterceptor implements ServerInterceptor {
  /** The authenticated caller of the current call. */
  public static final Context.Key<Caller> CALLER = Context.key("weft-caller");

  private static final Logger log = LoggerFactory.getLogger(AuthenticatingInterceptor.class);

  private final CallerAuthenticator authenticator;

  /** Authenticates calls with {@code authenticator}. */
  public AuthenticatingInterceptor(CallerAuthenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    SpiffeId identity;
    try {
      identity = authenticator.authenticate(
          headers, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (StatusException e) {
      log.warn("refused a call to {} from {}: {}",
          call.getMethodDescriptor().getFullMethodName(), address, e.getStatus().getDescription());
      call.close(e.getStatus(), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(CALLER, new Caller(identity, address));
    return Contexts.interceptCall(context, call, headers, next);
  }
}
