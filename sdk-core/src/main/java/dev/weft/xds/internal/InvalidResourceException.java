package dev.weft.xds.internal;

/**
 * An xDS resource Weft cannot apply, with the resource, the field and why; the message is what
 * the client sends back in its NACK, e.g. {@code Listener xds.istio.io/grpc/lds/inbound/0.0.0.0:80:
 * filter_chains[1].transport_socket: a TLS chain must require a client certificate}.
 */
public final class InvalidResourceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String resource;
  private final String field;
  private final String reason;

  /**
   * @param resource the resource's type and name, e.g. {@code Cluster outbound|8000||a.b.svc}
   * @param field the path of the offending field, e.g. {@code filter_chains[1].transport_socket}
   * @param reason what is wrong, in words a user can act on
   */
  public InvalidResourceException(String resource, String field, String reason) {
    super(field.isEmpty() ? resource + ": " + reason : resource + ": " + field + ": " + reason);
    this.resource = resource;
    this.field = field;
    this.reason = reason;
  }

  /** The resource's type and name, e.g. {@code Listener httpbin.bar:8000}. */
  public String resource() {
    return resource;
  }

  /** The path of the offending field, e.g. {@code filter_chains[1].transport_socket}. */
  public String field() {
    return field;
  }

  /** What is wrong. */
  public String reason() {
    return reason;
  }
}
