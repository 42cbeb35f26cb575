package dev.weft.controlplane.config;

import dev.weft.config.ConfigProblem;
import dev.weft.controlplane.config.ConfigState.FileStatus;
import dev.weft.policy.MeshResources;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/** What a directory's files put in force, and their problems: a state yet to be numbered. */
record MergedConfig(
    MeshResources resources, List<ConfigProblem> errors, List<ConfigProblem> warnings,
    SortedMap<String, FileStatus> files) {

  /** This as generation {@code generation}, computed at {@code computedAt}. */
  ConfigState toState(long generation, Instant computedAt) {
    return new ConfigState(generation, computedAt, resources, errors, warnings, files);
  }
}
