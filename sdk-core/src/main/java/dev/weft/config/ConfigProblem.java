package dev.weft.config;

import dev.weft.policy.ResourceId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One thing wrong (or worth knowing) about a configuration file, located as precisely as the
 * loader could: the file, the document in it, the resource, the field and the line.
 *
 * @param severity whether the document (or file) was rejected, or this is only a warning
 * @param source the file name, or the name given for in-memory text
 * @param document the 1-based document number in the file; 0 when the problem concerns the file
 * @param resource the resource the document defines, when its kind and name could be read
 * @param field the field path, such as {@code spec.portLevelMtls[8080].mode}; empty when the
 *     problem concerns the whole document or file
 * @param line the 1-based line, when known
 * @param message what is wrong
 */
public record ConfigProblem(
    Severity severity, String source, int document, Optional<ResourceId> resource, String field,
    OptionalInt line, String message) {

  /** How serious a problem is. */
  public enum Severity {
    /** The document (or file) was skipped. */
    ERROR,
    /**
     * Worth knowing, but no reason to skip anything: a field Weft ignores, or a document of a
     * kind Weft does not read (skipped on purpose).
     */
    WARNING
  }

  public ConfigProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(message, "message");
  }

  /**
   * One readable line, for example {@code policies.yaml, document 2 (PeerAuthentication
   * bar/httpbin), spec.portLevelMtls (line 9): requires a selector: ...}.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (document > 0) {
      text.append(", document ").append(document);
    }
    resource.ifPresent(id -> text.append(" (").append(id).append(')'));
    if (!field.isEmpty()) {
      text.append(", ").append(field);
    }
    line.ifPresent(n -> text.append(" (line ").append(n).append(')'));
    return text.append(": ").append(message).toString();
  }
}
