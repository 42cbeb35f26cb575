package dev.weft.config;

import dev.weft.policy.ResourceId;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where a load found a resource it accepted.
 *
 * @param resource the resource's kind, namespace and name
 * @param source the file name, or the name given for in-memory text
 * @param document the 1-based document number in the file
 * @param line the 1-based line of {@code metadata.name}, when known
 */
public record ResourceLocation(
    ResourceId resource, String source, int document, OptionalInt line) {

  public ResourceLocation {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(line, "line");
  }

  /** For example {@code policies.yaml, document 2}, as resource metadata names its source. */
  @Override
  public String toString() {
    return source + ", document " + document;
  }
}
