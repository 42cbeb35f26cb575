package dev.weft.grpc.internal;

import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.UpstreamTls;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Says why a connection to a mesh endpoint failed before a response, in the words of the
 * resources that decided how it was made and what the server accepts: the status every call
 * that needed the connection fails with.
 */
final class ConnectionFailures {
  private ConnectionFailures() {}

  /** The connection to {@code routed} failed with {@code cause}. */
  static StatusRuntimeException failed(RoutedEndpoint routed, Throwable cause) {
    if (cause instanceof StatusRuntimeException described
        && described.getStatus().getCode() == Status.Code.UNAVAILABLE
        && described.getStatus().getDescription() != null
        && described.getStatus().getDescription().startsWith(routed.describe())) {
      return described;
    }
    return unavailable(routed, happened(routed.endpoint().tls(), cause), cause);
  }

  /** The server closed a connection to {@code routed} without a byte: what a policy refusal looks like. */
  static StatusRuntimeException closedSilently(RoutedEndpoint routed, Throwable cause) {
    return unavailable(routed, "closed the " + routed.endpoint().tls().describe()
        + " connection before a response", cause);
  }

  /** The connection was not attempted: {@code why}. */
  static StatusRuntimeException refused(RoutedEndpoint routed, String why) {
    return unavailable(routed, "not connected: " + why, null);
  }

  private static StatusRuntimeException unavailable(RoutedEndpoint routed, String happened,
      Throwable cause) {
    List<String> reasons = new ArrayList<>();
    routed.endpoint().server().map(InboundPolicy::because).ifPresent(reasons::addAll);
    reasons.addAll(routed.endpoint().tls().because());
    String description = routed.describe() + " " + happened
        + (reasons.isEmpty() ? "" : ": " + String.join("; ", reasons));
    return Status.UNAVAILABLE.withDescription(description).withCause(cause).asRuntimeException();
  }

  private static String happened(UpstreamTls tls, Throwable cause) {
    CertificateException rejected = find(cause, CertificateException.class);
    if (rejected != null) {
      return "failed the " + tls.describe() + " handshake: " + rejected.getMessage();
    }
    SSLException ssl = find(cause, SSLException.class);
    if (ssl != null) {
      return "failed the " + tls.describe() + " handshake: " + ssl.getMessage();
    }
    if (find(cause, ConnectException.class) != null) {
      return "refused the connection";
    }
    return "failed the " + tls.describe() + " connection before a response (" + cause + ")";
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }
}
