package dev.weft.http;

import dev.weft.mesh.OutboundRoute.Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to a mesh service failed before any response arrived: where a sidecar would answer
 * 503. The message says what happened and which resources decided how the request was sent
 * and what the server accepts, e.g. {@code httpbin.bar:8000 (127.0.0.1:18080) closed a
 * plaintext connection: PeerAuthentication bar/httpbin: workload-level STRICT; DestinationRule
 * bar/httpbin: trafficPolicy.tls.mode DISABLE}.
 */
public final class MeshRequestException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Failure {
    /** The route has no endpoint to send the request to. */
    NO_ENDPOINT,
    /** The endpoint refused the connection. */
    CONNECTION_REFUSED,
    /** The TLS handshake failed, or the server rejected it. */
    TLS_HANDSHAKE,
    /** The server closed or reset the connection before a response. */
    CONNECTION_CLOSED,
    /** The server answered with something other than HTTP, as a TLS server does to plaintext. */
    NOT_HTTP,
    /** No connection or no response within the client's timeouts. */
    TIMEOUT,
    /** A redirect that leaves the request's route, which Weft does not follow inside it. */
    REDIRECT_NOT_FOLLOWED,
    /** Any other failure before a response. */
    OTHER
  }

  private final Failure failure;
  private final String host;
  private final int port;
  private final transient Optional<Endpoint> endpoint;
  private final List<String> reasons;

  /**
   * A failure of a request to {@code host:port}, sent to {@code endpoint} when one was chosen,
   * with the reasons, deciding first, of the resources that decided it.
   */
  public MeshRequestException(Failure failure, String host, int port, Optional<Endpoint> endpoint,
      String message, List<String> reasons, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.failure = Objects.requireNonNull(failure, "failure");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.reasons = List.copyOf(reasons);
  }

  /** What went wrong. */
  public Failure failure() {
    return failure;
  }

  /** The host the application called. */
  public String host() {
    return host;
  }

  /** The port the application called. */
  public int port() {
    return port;
  }

  /** The endpoint the request was sent to; empty when none was chosen. */
  public Optional<Endpoint> endpoint() {
    // Null only in a deserialized copy: an Optional is not serializable.
    return endpoint == null ? Optional.empty() : endpoint;
  }

  /** What the server accepts and how the client sent the request, deciding reasons first. */
  public List<String> reasons() {
    return reasons;
  }
}
