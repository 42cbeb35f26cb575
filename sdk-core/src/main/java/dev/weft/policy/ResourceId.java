package dev.weft.policy;

import java.util.Objects;

/** Names one configuration resource: {@code PeerAuthentication bar/httpbin}. */
public record ResourceId(ResourceKind kind, String namespace, String name) {

  public ResourceId {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** For example {@code PeerAuthentication bar/httpbin}. */
  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
