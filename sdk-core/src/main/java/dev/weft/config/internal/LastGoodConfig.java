package dev.weft.config.internal;

import dev.weft.config.ConfigLoadResult;
import dev.weft.config.ConfigLoader;
import dev.weft.config.ConfigProblem;
import dev.weft.config.ConfigProblem.Severity;
import dev.weft.config.ResourceLocation;
import dev.weft.config.internal.ConfigState.FileStatus;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.MeshConfig;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import dev.weft.policy.Service;
import dev.weft.policy.WorkloadEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each configuration file's last good content, and what all of it together puts in force.
 *
 * <p>A file's content is in force whole or not at all. Content with any error (invalid YAML, an
 * invalid document, a resource another file already defines, a second MeshConfig) is not
 * applied: the file's previous content stays in force, or none of it if it never loaded
 * without errors. A deleted file's content leaves. When a file's content would define a
 * resource that another file's content in force already defines, the file that changed is in
 * error; among files changing at once, the later by name. Not thread-safe.
 */
final class LastGoodConfig {
  private static final Logger log = LoggerFactory.getLogger(LastGoodConfig.class);

  /** A file's content in force: the file hashed {@code hash}, loaded, applied at {@code since}. */
  private record InForce(String hash, ConfigLoadResult content, Instant since) {}

  /** A file: its content on disk as last loaded, hashed {@code hash}, and its content in force. */
  private static final class TrackedFile {
    private final String hash;
    private final ConfigLoadResult latest;
    private InForce inForce;
    private List<ConfigProblem> conflicts = List.of();

    TrackedFile(String hash, ConfigLoadResult latest, InForce inForce) {
      this.hash = hash;
      this.latest = latest;
      this.inForce = inForce;
    }

    /** Whether its content on disk loaded without errors but is not in force yet. */
    boolean pending() {
      return !latest.hasErrors() && (inForce == null || !inForce.hash.equals(hash));
    }

    List<ConfigProblem> errors() {
      return latest.hasErrors() ? latest.errors() : conflicts;
    }
  }

  private final ConfigLoader loader;
  private final SortedMap<String, TrackedFile> files = new TreeMap<>();

  /** Loads files with {@code loader}, which must be the same for the life of the directory. */
  LastGoodConfig(ConfigLoader loader) {
    this.loader = loader;
  }

  /**
   * Brings the configuration up to date with {@code scan}, every file of the directory at
   * {@code now}: loads the files whose content changed, drops the deleted ones and decides
   * again what is in force.
   */
  void update(List<ConfigFiles.Version> scan, Instant now) {
    Set<String> present =
        scan.stream().map(ConfigFiles.Version::name).collect(Collectors.toSet());
    files.keySet().retainAll(present);
    for (ConfigFiles.Version version : scan) {
      TrackedFile known = files.get(version.name());
      if (known == null || !known.hash.equals(version.hash())) {
        files.put(version.name(), new TrackedFile(version.hash(), loader.load(version.path()),
            known == null ? null : known.inForce));
      }
    }
    applyPending(now);
  }

  /** What is in force, and every problem standing. */
  MergedConfig merged() {
    MeshConfig meshConfig = MeshConfig.DEFAULT;
    List<PeerAuthentication> peerAuthentications = new ArrayList<>();
    List<DestinationRule> destinationRules = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<WorkloadEntry> workloadEntries = new ArrayList<>();
    List<ConfigProblem> errors = new ArrayList<>();
    List<ConfigProblem> warnings = new ArrayList<>();
    SortedMap<String, FileStatus> statuses = new TreeMap<>();
    for (Map.Entry<String, TrackedFile> entry : files.entrySet()) {
      TrackedFile file = entry.getValue();
      if (file.inForce != null) {
        MeshResources resources = file.inForce.content.resources();
        if (definesMeshConfig(file.inForce.content)) {
          meshConfig = resources.meshConfig();
        }
        peerAuthentications.addAll(resources.peerAuthentications());
        destinationRules.addAll(resources.destinationRules());
        services.addAll(resources.services());
        workloadEntries.addAll(resources.workloadEntries());
      }
      errors.addAll(file.errors());
      warnings.addAll(file.latest.warnings());
      statuses.put(entry.getKey(), new FileStatus(
          Optional.ofNullable(file.inForce).map(InForce::since), file.errors()));
    }
    return new MergedConfig(new MeshResources(meshConfig, peerAuthentications,
        destinationRules, services, workloadEntries), errors, warnings, statuses);
  }

  /**
   * Puts in force each file whose new content loaded without errors, unless it would define a
   * resource that content staying in force defines. Rejecting a file keeps its previous content
   * in force, which may clash with a file accepted before it, so the rejection starts over.
   * Content in force never clashes with itself, so neither does what stays in force.
   */
  private void applyPending(Instant now) {
    List<TrackedFile> pending = new ArrayList<>(
        files.values().stream().filter(TrackedFile::pending).toList());
    boolean rejected;
    do {
      rejected = false;
      Claims claims = new Claims();
      files.values().stream()
          .filter(file -> file.inForce != null && !pending.contains(file))
          .forEach(file -> claims.add(file.inForce.content.locations()));
      for (TrackedFile file : pending) {
        List<ConfigProblem> conflicts = claims.conflicts(file.latest.locations());
        if (!conflicts.isEmpty()) {
          if (!conflicts.equals(file.conflicts)) {
            conflicts.forEach(problem -> log.warn("Not applied: {}", problem));
          }
          file.conflicts = conflicts;
          pending.remove(file);
          rejected = true;
          break;
        }
        claims.add(file.latest.locations());
      }
    } while (rejected);
    for (TrackedFile file : pending) {
      boolean unchanged = file.inForce != null
          && file.inForce.content.resources().equals(file.latest.resources());
      file.inForce = new InForce(file.hash, file.latest, unchanged ? file.inForce.since : now);
      file.conflicts = List.of();
    }
  }

  private static boolean definesMeshConfig(ConfigLoadResult content) {
    return content.locations().stream()
        .anyMatch(location -> location.resource().kind() == ResourceKind.MESH_CONFIG);
  }

  /** The resources some content in force, or about to be, defines. */
  private static final class Claims {
    private final Map<ResourceId, ResourceLocation> defined = new HashMap<>();
    private ResourceLocation meshConfig;

    void add(List<ResourceLocation> locations) {
      for (ResourceLocation location : locations) {
        defined.put(location.resource(), location);
        if (location.resource().kind() == ResourceKind.MESH_CONFIG) {
          meshConfig = location;
        }
      }
    }

    /** An error for each of {@code locations} that defines a resource already claimed. */
    List<ConfigProblem> conflicts(List<ResourceLocation> locations) {
      List<ConfigProblem> conflicts = new ArrayList<>();
      for (ResourceLocation location : locations) {
        if (location.resource().kind() == ResourceKind.MESH_CONFIG && meshConfig != null) {
          conflicts.add(error(location, "",
              "a mesh has one MeshConfig, already defined in " + meshConfig));
        } else if (defined.containsKey(location.resource())) {
          conflicts.add(error(location, "metadata.name",
              "already defined in " + defined.get(location.resource())));
        }
      }
      return conflicts;
    }

    private static ConfigProblem error(ResourceLocation location, String field, String message) {
      return new ConfigProblem(Severity.ERROR, location.source(), location.document(),
          Optional.of(location.resource()), field, location.line(), message);
    }
  }
}
