package dev.weft.policy;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a resource came from and when it was created, which decides "oldest wins". A resource
 * without {@code metadata.creationTimestamp} counts as created when it was first seen, in the
 * order it was seen.
 *
 * @param id the resource's kind, namespace and name
 * @param created {@code metadata.creationTimestamp}, or when the resource was first seen
 * @param explicitTimestamp whether {@code created} came from {@code metadata.creationTimestamp}
 * @param sequence the order in which resources were first seen
 * @param source where it was read, for messages: {@code mesh.yaml, document 2}
 */
public record ResourceMeta(
    ResourceId id, Instant created, boolean explicitTimestamp, long sequence, String source) {

  /**
   * Oldest first, as Istio orders configuration: by creation time; equal timestamps by name then
   * namespace; resources without a timestamp in the order they were first seen.
   */
  public static final Comparator<ResourceMeta> CREATION_ORDER = (a, b) -> {
    int byTime = a.created.compareTo(b.created);
    if (byTime != 0) {
      return byTime;
    }
    if (a.explicitTimestamp && b.explicitTimestamp) {
      int byName = a.id.name().compareTo(b.id.name());
      return byName != 0 ? byName : a.id.namespace().compareTo(b.id.namespace());
    }
    return Long.compare(a.sequence, b.sequence);
  };

  public ResourceMeta {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(source, "source");
  }

  /** The namespace. */
  public String namespace() {
    return id.namespace();
  }

  /** The name. */
  public String name() {
    return id.name();
  }
}
