package dev.weft.config.internal;

import dev.weft.config.ConfigProblem;
import dev.weft.policy.MeshResources;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The configuration a watched directory puts in force, and the problems standing in its files.
 *
 * @param generation 1 for a directory's first state, one more for each change
 * @param computedAt when this state was computed
 * @param resources what is in force: every file's content in force, together
 * @param errors why content on disk is not in force, file by file in name order
 * @param warnings what deserves attention in the files as they are on disk
 * @param files each configuration file's standing, by file name
 */
public record ConfigState(
    long generation, Instant computedAt, MeshResources resources, List<ConfigProblem> errors,
    List<ConfigProblem> warnings, SortedMap<String, FileStatus> files) {

  public ConfigState {
    Objects.requireNonNull(computedAt, "computedAt");
    Objects.requireNonNull(resources, "resources");
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }

  /**
   * One configuration file's standing.
   *
   * @param inForceSince since when its content in force has been what it is; empty when none
   *     of the file is in force
   * @param errors why its content on disk is not in force; empty when it is
   */
  public record FileStatus(Optional<Instant> inForceSince, List<ConfigProblem> errors) {

    public FileStatus {
      Objects.requireNonNull(inForceSince, "inForceSince");
      errors = List.copyOf(errors);
    }
  }
}
