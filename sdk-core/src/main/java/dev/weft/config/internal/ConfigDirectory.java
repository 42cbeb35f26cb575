package dev.weft.config.internal;

import dev.weft.config.ConfigLoader;
import dev.weft.config.ConfigProblem;
import dev.weft.config.ConfigProblem.Severity;
import dev.weft.config.internal.ConfigState.FileStatus;
import dev.weft.policy.MeshConfig;
import dev.weft.policy.MeshResources;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watched directory of Istio YAML files: tells a listener what configuration is in force
 * whenever its {@code *.yaml} and {@code *.yml} files change, and what problems stand.
 *
 * <p>Each file is loaded on its own and is in force whole or not at all, so that bad input
 * never takes configuration away, nor applies part of what its author meant (a DestinationRule
 * without the STRICT PeerAuthentication written beside it, say):
 *
 * <ul>
 *   <li>A file whose new content has any error (invalid YAML, an invalid document, a resource
 *       or MeshConfig another file defines) keeps its previous content in force, all of it; its
 *       errors stand until it is fixed.
 *   <li>A file that has never loaded without errors puts nothing in force, not even its valid
 *       documents; its errors stand.
 *   <li>A resource defined in two files is an error in the file that changed to define it
 *       while the other had it in force; between files that change together (all of them, at
 *       start), in the later by name. The same holds for a second MeshConfig; with none,
 *       {@link MeshConfig#DEFAULT} applies.
 *   <li>A deleted file's content leaves, as deleting is deliberate; renaming a file deletes
 *       one and adds another. A directory that cannot be listed (an unmounted volume, say)
 *       keeps everything in force, and that is an error.
 * </ul>
 *
 * <p>Nothing is remembered across processes: at start, a file with errors puts nothing in
 * force. A caller that must not run without one of its files should check the errors of
 * {@link #current()} after {@link #start}.
 *
 * <p>Changes are noticed through the file system's watch service and, as it can miss some (a
 * Kubernetes ConfigMap volume swaps a {@code ..data} link and changes no name it reports), by
 * rescanning. The directory is reloaded once changes have stopped for a quiet period, so an
 * editor's save or a copy of many files is one change; a file whose content is unchanged is
 * not reloaded. Dot-files, subdirectories and other names (an editor's {@code
 * .policy.yaml.swp} or {@code policy.yaml~}) are ignored.
 */
public final class ConfigDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigDirectory.class);
  private static final Duration QUIET_PERIOD = Duration.ofMillis(200);
  private static final Duration RESCAN_INTERVAL = Duration.ofSeconds(2);

  private final Path directory;
  private final Consumer<ConfigState> listener;
  private final LastGoodConfig lastGood = new LastGoodConfig(new ConfigLoader());
  private final DirectoryWatcher watcher;
  private MergedConfig merged;
  private volatile ConfigState current;

  private ConfigDirectory(Path directory, Duration quietPeriod, Duration rescanInterval,
      Consumer<ConfigState> listener) throws IOException {
    this.directory = directory;
    this.listener = listener;
    this.watcher = new DirectoryWatcher(directory, quietPeriod, rescanInterval, this::reload);
  }

  /**
   * Watches {@code directory}, reloading 200 ms after changes stop and rescanning every 2 s.
   *
   * @see #start(Path, Duration, Duration, Consumer)
   */
  public static ConfigDirectory start(Path directory, Consumer<ConfigState> listener)
      throws IOException {
    return start(directory, QUIET_PERIOD, RESCAN_INTERVAL, listener);
  }

  /**
   * Loads {@code directory}, gives {@code listener} the first state on this thread, then watches
   * it: {@code listener} gets each new state on the watcher's thread, only when what is in
   * force or the problems changed. Calls to {@code listener} never overlap.
   *
   * @param quietPeriod how long the directory must stay unchanged before it is reloaded
   * @param rescanInterval how often to look for changes the watch service did not report
   * @throws NoSuchFileException if {@code directory} does not exist
   * @throws IOException if it is not a directory, or cannot be watched
   */
  public static ConfigDirectory start(Path directory, Duration quietPeriod,
      Duration rescanInterval, Consumer<ConfigState> listener) throws IOException {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(listener, "listener");
    if (quietPeriod.isNegative()) {
      throw new IllegalArgumentException("quietPeriod must not be negative: " + quietPeriod);
    }
    if (rescanInterval.isNegative() || rescanInterval.isZero()) {
      throw new IllegalArgumentException("rescanInterval must be positive: " + rescanInterval);
    }
    if (!Files.exists(directory)) {
      throw new NoSuchFileException(directory.toString(), null,
          "the configuration directory does not exist");
    }
    if (!Files.isDirectory(directory)) {
      throw new FileSystemException(directory.toString(), null,
          "not a directory, so not a configuration directory");
    }
    // Watching starts before the first load, so that no change between the two goes unnoticed.
    ConfigDirectory config =
        new ConfigDirectory(directory, quietPeriod, rescanInterval, listener);
    try {
      config.reload();
      config.watcher.start();
    } catch (RuntimeException e) {
      config.watcher.close();
      throw e;
    }
    return config;
  }

  /** The latest state. */
  public ConfigState current() {
    return current;
  }

  /** Stops watching; once it returns, the listener is not called again. */
  @Override
  public void close() {
    watcher.close();
  }

  /**
   * Brings the state up to date with the directory and, if it changed, publishes it. The loader
   * has logged the problems of each file it loaded, and {@link LastGoodConfig} the clashes
   * between files, each once for each change of a file.
   */
  private void reload() {
    Instant now = Instant.now();
    MergedConfig next;
    boolean listed;
    try {
      lastGood.update(ConfigFiles.scan(directory), now);
      next = lastGood.merged();
      listed = true;
    } catch (IOException e) {
      ConfigProblem problem = new ConfigProblem(Severity.ERROR, directory.toString(), 0,
          Optional.empty(), "", OptionalInt.empty(),
          "cannot list the directory (" + why(e) + "), so what is in force stays");
      next = lastGood.merged().withError(problem);
      listed = false;
      if (merged == null || !merged.errors().contains(problem)) {
        log.warn("{}", problem);
      }
    }
    if (next.equals(merged)) {
      return;
    }
    boolean first = merged == null;
    merged = next;
    current = next.toState(first ? 1 : current.generation() + 1, now);
    log.info("{}", summary(current, listed));
    if (first) {
      listener.accept(current);
      return;
    }
    try {
      listener.accept(current);
    } catch (RuntimeException e) {
      log.error("The configuration listener failed on generation {}", current.generation(), e);
    }
  }

  private static String why(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "it does not exist";
    }
    return e instanceof AccessDeniedException ? "permission denied" : e.toString();
  }

  /** One line: what is in force, and which files have errors. */
  private String summary(ConfigState state, boolean listed) {
    MeshResources resources = state.resources();
    StringBuilder text = new StringBuilder("Configuration generation ")
        .append(state.generation()).append(" from ").append(directory).append(": in force ")
        .append(resources.peerAuthentications().size()).append(" PeerAuthentication, ")
        .append(resources.destinationRules().size()).append(" DestinationRule, ")
        .append(resources.services().size()).append(" Service, ")
        .append(resources.workloadEntries().size()).append(" WorkloadEntry, ")
        .append(resources.meshConfig().equals(MeshConfig.DEFAULT) ? "default" : "custom")
        .append(" MeshConfig");
    String filesWithErrors = state.files().entrySet().stream()
        .filter(file -> !file.getValue().errors().isEmpty())
        .map(ConfigDirectory::describe)
        .collect(Collectors.joining(", "));
    if (!filesWithErrors.isEmpty()) {
      text.append("; files with errors: ").append(filesWithErrors);
    }
    if (!listed) {
      text.append("; the directory cannot be listed");
    }
    return text.toString();
  }

  private static String describe(Map.Entry<String, FileStatus> file) {
    int errors = file.getValue().errors().size();
    return file.getKey() + " (" + errors + (errors == 1 ? " error, " : " errors, ")
        + file.getValue().inForceSince()
            .map(since -> "its content of " + since.truncatedTo(ChronoUnit.SECONDS)
                + " stays in force")
            .orElse("none of it in force") + ")";
  }
}
