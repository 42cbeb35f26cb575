package dev.weft.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Kubernetes-style Istio YAML ({@code PeerAuthentication}, {@code DestinationRule},
 * {@code Service}, {@code WorkloadEntry}) and Weft's {@code MeshConfig} into Weft's policy model,
 * validating each document as Istio's admission webhook and CRDs (or Kubernetes, for Services)
 * would. An invalid document is skipped and reported; the rest still load.
 *
 * <p>A loader remembers the order in which it first saw each resource, across loads: a resource
 * without {@code metadata.creationTimestamp} counts as created when this loader first saw it, so
 * reloading a changed directory keeps the older resources older. It forgets nothing, so a
 * resource removed and later added back keeps its first place. Use one loader per configuration
 * source for the life of the process. Loads are serialized; a loader may be shared by threads.
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  private final Clock clock;
  private final FirstSeenOrder firstSeen = new FirstSeenOrder();

  /** A loader that has seen nothing yet. */
  public ConfigLoader() {
    this(Clock.systemUTC());
  }

  ConfigLoader(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Loads a file, or every {@code *.yaml} and {@code *.yml} file directly in a directory, in
   * file name order. Subdirectories are not read, nor files whose names start with a dot (such
   * as the {@code ..data} entries of a mounted ConfigMap), nor other files. A file given directly
   * is read whatever its name.
   */
  public synchronized ConfigLoadResult load(Path fileOrDirectory) {
    Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
    LoadRun run = new LoadRun(firstSeen, clock.instant());
    if (Files.isDirectory(fileOrDirectory)) {
      try {
        yamlFiles(fileOrDirectory).forEach(run::readFile);
      } catch (IOException e) {
        run.fileError(LoadRun.sourceName(fileOrDirectory), OptionalInt.empty(),
            "cannot list the directory: " + e.getMessage());
      }
    } else {
      run.readFile(fileOrDirectory);
    }
    return logged(run.result());
  }

  /** Loads YAML text, naming it {@code sourceName} in problems and resource metadata. */
  public synchronized ConfigLoadResult load(String yaml, String sourceName) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(sourceName, "sourceName");
    LoadRun run = new LoadRun(firstSeen, clock.instant());
    run.readText(yaml, sourceName);
    return logged(run.result());
  }

  private static List<Path> yamlFiles(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(ConfigLoader::isYamlFileName)
          .filter(Files::isRegularFile)
          .sorted(Comparator.comparing(LoadRun::sourceName))
          .toList();
    }
  }

  private static boolean isYamlFileName(Path path) {
    String name = LoadRun.sourceName(path);
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  private static ConfigLoadResult logged(ConfigLoadResult result) {
    result.errors().forEach(problem -> log.warn("Skipped: {}", problem));
    result.warnings().forEach(problem -> log.warn("{}", problem));
    return result;
  }
}
