package dev.weft.xds.internal;

/**
 * A field of one xDS resource, e.g. {@code filter_chains[1].transport_socket} of
 * {@code Listener xds.istio.io/grpc/lds/inbound/0.0.0.0:80}, for naming it when rejecting.
 */
record FieldPath(String resource, String path) {

  /** The resource itself: {@code <type> <name>}. */
  static FieldPath of(String type, String name) {
    return new FieldPath(type + " " + (name.isEmpty() ? "(unnamed)" : name), "");
  }

  /** The field {@code name} of this one. */
  FieldPath field(String name) {
    return new FieldPath(resource, path.isEmpty() ? name : path + "." + name);
  }

  /** The element {@code index} of this repeated field. */
  FieldPath index(int index) {
    return new FieldPath(resource, path + "[" + index + "]");
  }

  /** The rejection of this field for {@code reason}. */
  InvalidResourceException invalid(String reason) {
    return new InvalidResourceException(resource, path, reason);
  }
}
