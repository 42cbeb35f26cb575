package dev.weft.config;

import dev.weft.policy.MeshResources;
import java.util.List;
import java.util.Objects;

/**
 * What one load produced: every valid resource, where each is defined, and the problems found.
 *
 * <p>The resources leave out every document that has an error. A caller that must not lose
 * policy to a typo (a control plane reloading on change, say) should check {@link #hasErrors()}
 * and keep serving the last good configuration.
 *
 * @param resources the valid resources, in the order their documents were read
 * @param locations where each valid resource (the MeshConfig too) is defined, in reading order
 * @param errors the problems that made a document or file be skipped, in reading order
 * @param warnings what was loaded but deserves attention, and what was skipped on purpose
 */
public record ConfigLoadResult(
    MeshResources resources, List<ResourceLocation> locations, List<ConfigProblem> errors,
    List<ConfigProblem> warnings) {

  public ConfigLoadResult {
    Objects.requireNonNull(resources, "resources");
    locations = List.copyOf(locations);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** Whether any document or file was skipped because it is invalid. */
  public boolean hasErrors() {
    return !errors.isEmpty();
  }
}
