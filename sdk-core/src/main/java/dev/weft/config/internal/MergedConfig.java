package dev.weft.config.internal;

import dev.weft.config.ConfigProblem;
import dev.weft.config.internal.ConfigState.FileStatus;
import dev.weft.policy.MeshResources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/** What a directory's files put in force, and their problems: a state yet to be numbered. */
record MergedConfig(
    MeshResources resources, List<ConfigProblem> errors, List<ConfigProblem> warnings,
    SortedMap<String, FileStatus> files) {

  /** The same with {@code error} added, an error that concerns no one file. */
  MergedConfig withError(ConfigProblem error) {
    List<ConfigProblem> all = new ArrayList<>(errors);
    all.add(error);
    return new MergedConfig(resources, all, warnings, files);
  }

  /** This as generation {@code generation}, computed at {@code computedAt}. */
  ConfigState toState(long generation, Instant computedAt) {
    return new ConfigState(generation, computedAt, resources, errors, warnings, files);
  }
}
