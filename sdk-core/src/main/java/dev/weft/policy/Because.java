package dev.weft.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * One reason behind a decision: the resource that decided it, if any, and what it said, e.g.
 * {@code PeerAuthentication bar/httpbin: workload-level STRICT}.
 */
public record Because(Optional<ResourceId> resource, String reason) {

  public Because {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(reason, "reason");
  }

  /** A reason given by {@code resource}. */
  public static Because of(ResourceId resource, String reason) {
    return new Because(Optional.of(resource), reason);
  }

  /** A reason no resource gave: a default or a fact about the mesh. */
  public static Because of(String reason) {
    return new Because(Optional.empty(), reason);
  }

  /** {@code <resource>: <reason>}, or the reason alone. */
  @Override
  public String toString() {
    return resource.map(r -> r + ": " + reason).orElse(reason);
  }
}
