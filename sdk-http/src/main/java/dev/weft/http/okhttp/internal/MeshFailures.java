package dev.weft.http.okhttp.internal;

import dev.weft.http.MeshRequestException;
import dev.weft.http.MeshRequestException.Failure;
import dev.weft.mesh.InboundPolicy;
import dev.weft.mesh.OutboundRoute;
import dev.weft.mesh.OutboundRoute.Endpoint;
import dev.weft.mesh.UpstreamTls;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Says why a request to a mesh route failed before a response, in the words of the resources
 * that decided how it was sent and what the server accepts.
 */
public final class MeshFailures {
  private MeshFailures() {}

  /** The route has no endpoint: a sidecar's "no healthy upstream". */
  public static MeshRequestException noEndpoint(OutboundRoute route) {
    return new MeshRequestException(Failure.NO_ENDPOINT, route.host(), route.port(),
        Optional.empty(), "no endpoint of " + route.host() + ":" + route.port() + " (cluster "
            + route.cluster() + ")", List.of(), null);
  }

  /** What {@code failure} of a request to {@code route}, sent to {@code endpoint}, means. */
  public static MeshRequestException describe(OutboundRoute route, Endpoint endpoint,
      IOException failure) {
    MeshRequestException mesh = find(failure, MeshRequestException.class);
    if (mesh != null) {
      return mesh;
    }
    Failure kind = classify(failure);
    List<String> reasons = new ArrayList<>();
    endpoint.server().map(InboundPolicy::because).ifPresent(reasons::addAll);
    reasons.addAll(endpoint.tls().because());
    String message = route.host() + ":" + route.port() + " (" + Upstream.of(endpoint).authority()
        + ") " + happened(kind, endpoint.tls(), failure) + ": " + String.join("; ", reasons);
    return new MeshRequestException(kind, route.host(), route.port(), Optional.of(endpoint),
        message, reasons, failure);
  }

  private static Failure classify(IOException failure) {
    if (find(failure, SSLException.class) != null) {
      return Failure.TLS_HANDSHAKE;
    }
    if (find(failure, SocketTimeoutException.class) != null
        || failure instanceof InterruptedIOException) {
      return Failure.TIMEOUT;
    }
    if (find(failure, ConnectException.class) != null) {
      return Failure.CONNECTION_REFUSED;
    }
    if (find(failure, ProtocolException.class) != null) {
      return Failure.NOT_HTTP;
    }
    SocketException socket = find(failure, SocketException.class);
    // Not a subclass such as NoRouteToHostException: SocketException itself is a reset or close.
    if (find(failure, EOFException.class) != null
        || (socket != null && socket.getClass() == SocketException.class)) {
      return Failure.CONNECTION_CLOSED;
    }
    return Failure.OTHER;
  }

  private static String happened(Failure kind, UpstreamTls tls, IOException failure) {
    switch (kind) {
      case TLS_HANDSHAKE:
        // Over a plaintext upstream, only the application's own TLS (an https URL) can fail.
        return "failed the " + (tls instanceof UpstreamTls.Plaintext ? "TLS" : tls.describe())
            + " handshake: " + tlsDetail(failure);
      case TIMEOUT:
        return "did not answer in time (" + failure.getMessage() + ")";
      case CONNECTION_REFUSED:
        return "refused the connection";
      case NOT_HTTP:
        return "did not answer in HTTP (" + find(failure, ProtocolException.class).getMessage()
            + ")";
      case CONNECTION_CLOSED:
        return tls instanceof UpstreamTls.Plaintext
            ? "closed a plaintext connection"
            : "closed the " + tls.describe() + " connection before a response";
      default:
        return "failed before a response (" + failure + ")";
    }
  }

  /** The most telling message: a certificate's rejection, else the TLS failure's. */
  private static String tlsDetail(IOException failure) {
    CertificateException rejected = find(failure, CertificateException.class);
    if (rejected != null) {
      return rejected.getMessage();
    }
    return find(failure, SSLException.class).getMessage();
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
