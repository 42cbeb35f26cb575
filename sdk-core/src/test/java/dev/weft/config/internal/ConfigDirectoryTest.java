package dev.weft.config.internal;

import static dev.weft.config.internal.ConfigYaml.destinationRule;
import static dev.weft.config.internal.ConfigYaml.documents;
import static dev.weft.config.internal.ConfigYaml.meshConfig;
import static dev.weft.config.internal.ConfigYaml.modes;
import static dev.weft.config.internal.ConfigYaml.peerAuthentication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weft.policy.DestinationRule;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDirectoryTest {
  private static final Duration QUIET = Duration.ofMillis(100);
  /** Long enough that no test but the one about rescanning sees a rescan. */
  private static final Duration NO_RESCAN = Duration.ofMinutes(10);
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String STRICT = peerAuthentication("foo", "default", "STRICT");

  @TempDir
  Path directory;

  private final List<ConfigState> published = new CopyOnWriteArrayList<>();
  private ConfigDirectory config;

  @AfterEach
  void close() {
    if (config != null) {
      config.close();
    }
  }

  private ConfigDirectory start() throws IOException {
    return start(QUIET, NO_RESCAN);
  }

  private ConfigDirectory start(Duration quietPeriod, Duration rescanInterval)
      throws IOException {
    config = ConfigDirectory.start(directory, quietPeriod, rescanInterval, published::add);
    return config;
  }

  private Path write(String file, String yaml) throws IOException {
    return Files.writeString(directory.resolve(file), yaml);
  }

  /** Waits for a state after generation {@code after} that satisfies {@code condition}. */
  /** The first state published after generation {@code after} that meets {@code condition}. */
  private ConfigState awaitState(long after, Predicate<ConfigState> condition) {
    // What the listener was given, not current(), which is set a moment before the listener runs.
    return await().atMost(PATIENCE).until(() -> published.get(published.size() - 1),
        state -> state.generation() > after && condition.test(state));
  }

  private static List<String> peerAuthenticationModes(ConfigState state) {
    return modes(state.resources().peerAuthentications());
  }

  private static List<String> destinationRuleHosts(ConfigState state) {
    return state.resources().destinationRules().stream().map(DestinationRule::host).toList();
  }

  @Test
  void loadsEveryFileAtStart() throws IOException {
    write("mesh.yaml", meshConfig("mesh", "{trustDomain: example.org}"));
    write("policy.yaml", STRICT);
    write("rules.yml", documents(destinationRule("a", "a"), destinationRule("b", "b")));

    start();

    assertThat(published).as("the first state, given before start returns").hasSize(1);
    ConfigState state = published.get(0);
    assertThat(state).isSameAs(config.current());
    assertThat(state.generation()).isEqualTo(1);
    assertThat(state.resources().meshConfig().trustDomain().name()).isEqualTo("example.org");
    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=STRICT");
    assertThat(destinationRuleHosts(state)).containsExactly("a", "b");
    assertThat(state.errors()).isEmpty();
    assertThat(state.files()).containsOnlyKeys("mesh.yaml", "policy.yaml", "rules.yml");
    assertThat(state.files().values())
        .allSatisfy(file -> assertThat(file.inForceSince()).hasValue(state.computedAt()));
  }

  @Test
  void publishesAChangeAfterTheQuietPeriod() throws IOException {
    Duration quietPeriod = Duration.ofMillis(300);
    start(quietPeriod, NO_RESCAN);
    Instant beforeWriting = Instant.now();

    write("policy.yaml", STRICT);

    ConfigState state = awaitState(1, s -> !s.resources().peerAuthentications().isEmpty());
    assertThat(state.generation()).isEqualTo(2);
    assertThat(Duration.between(beforeWriting, state.computedAt()))
        .isGreaterThanOrEqualTo(quietPeriod);
    assertThat(published).extracting(ConfigState::generation).containsExactly(1L, 2L);
  }

  @Test
  void manyQuickWritesPublishOnce() throws IOException {
    // Long enough that writing ten files never pauses for as long.
    start(Duration.ofSeconds(1), NO_RESCAN);

    for (int i = 0; i < 10; i++) {
      write("policy-" + i + ".yaml", peerAuthentication("foo", "p" + i, "STRICT"));
    }

    ConfigState state = awaitState(1, s -> s.resources().peerAuthentications().size() == 10);
    assertThat(state.generation()).isEqualTo(2);
    assertThat(published).hasSize(2);
  }

  @Test
  void aFileWithASyntaxErrorKeepsItsPreviousContent() throws IOException {
    write("policy.yaml", STRICT);
    start();

    write("policy.yaml", STRICT + "  portLevelMtls: {8080: [\n");

    ConfigState state = awaitState(1, s -> !s.errors().isEmpty());
    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=STRICT");
    assertThat(state.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("policy.yaml");
      assertThat(error.message()).startsWith("not valid YAML");
    });
    assertThat(state.files().get("policy.yaml").inForceSince())
        .hasValue(published.get(0).computedAt());
  }

  @Test
  void aFileWithAnInvalidDocumentKeepsItsWholePreviousContent() throws IOException {
    write("policy.yaml", documents(STRICT, destinationRule("httpbin", "httpbin")));
    start();

    write("policy.yaml",
        documents(STRICT.replace("STRICT", "STRICTT"), destinationRule("httpbin", "changed")));

    ConfigState state = awaitState(1, s -> !s.errors().isEmpty());
    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=STRICT");
    assertThat(destinationRuleHosts(state)).as("the valid document's previous content")
        .containsExactly("httpbin");
    assertThat(state.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("policy.yaml");
      assertThat(error.document()).isEqualTo(1);
      assertThat(error.field()).isEqualTo("spec.mtls.mode");
      assertThat(error.line()).hasValue(8);
      assertThat(error.message()).contains("STRICTT");
    });
    assertThat(state.files().get("policy.yaml").errors()).isEqualTo(state.errors());
  }

  @Test
  void fixingTheFileClearsTheErrorAndAppliesTheNewContent() throws IOException {
    write("policy.yaml", STRICT);
    start();
    write("policy.yaml", STRICT.replace("STRICT", "STRICTT"));
    ConfigState broken = awaitState(1, s -> !s.errors().isEmpty());

    write("policy.yaml", documents(STRICT, destinationRule("httpbin", "httpbin")));

    ConfigState fixed = awaitState(broken.generation(), s -> s.errors().isEmpty());
    assertThat(destinationRuleHosts(fixed)).containsExactly("httpbin");
    assertThat(fixed.files().get("policy.yaml").errors()).isEmpty();
    assertThat(fixed.files().get("policy.yaml").inForceSince()).hasValue(fixed.computedAt());
  }

  @Test
  void aNewFileThatWasNeverValidAppliesNothingAndIsReported() throws IOException {
    write("policy.yaml", peerAuthentication("foo", "default", "PERMISSIVE"));
    start();

    // Applying the rule without the policy beside it would keep plaintext accepted in bar.
    write("new.yaml", documents(destinationRule("httpbin", "httpbin"),
        peerAuthentication("bar", "default", "STRICTT")));

    ConfigState state = awaitState(1, s -> !s.errors().isEmpty());
    assertThat(state.resources()).isEqualTo(published.get(0).resources());
    assertThat(state.files().get("new.yaml").inForceSince()).isEmpty();
    assertThat(state.files().get("new.yaml").errors()).singleElement().satisfies(error -> {
      assertThat(error.document()).isEqualTo(2);
      assertThat(error.field()).isEqualTo("spec.mtls.mode");
    });
  }

  @Test
  void deletingAFileRemovesItsResources() throws IOException {
    write("policy.yaml", STRICT);
    Path rules = write("rules.yaml", destinationRule("httpbin", "httpbin"));
    start();

    Files.delete(rules);

    ConfigState state = awaitState(1, s -> s.resources().destinationRules().isEmpty());
    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=STRICT");
    assertThat(state.files()).containsOnlyKeys("policy.yaml");
  }

  @Test
  void theSameResourceInTwoFilesIsAnErrorInTheSecond() throws IOException {
    write("a.yaml", STRICT);
    write("b.yaml", documents(destinationRule("httpbin", "httpbin"),
        STRICT.replace("STRICT", "DISABLE")));

    ConfigState state = start().current();

    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=STRICT");
    assertThat(state.resources().destinationRules()).as("b.yaml applies as a whole or not")
        .isEmpty();
    assertThat(state.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("b.yaml");
      assertThat(error.document()).isEqualTo(2);
      assertThat(error.field()).isEqualTo("metadata.name");
      assertThat(error.message()).isEqualTo("already defined in a.yaml, document 1");
    });
    assertThat(state.files().get("b.yaml").inForceSince()).isEmpty();
  }

  @Test
  void touchingAFileWithoutChangingItPublishesNothing() throws IOException {
    Path policy = write("policy.yaml", STRICT);
    start();

    Files.setLastModifiedTime(policy, FileTime.from(Instant.now()));
    write("policy.yaml", STRICT);

    await().during(QUIET.multipliedBy(5)).atMost(PATIENCE)
        .until(() -> config.current().generation() == 1);
    write("policy.yaml", STRICT.replace("STRICT", "PERMISSIVE"));
    assertThat(awaitState(1, s -> true).generation()).as("still watching").isEqualTo(2);
  }

  @Test
  void editorTempFilesAreIgnored() throws IOException {
    start();

    write(".policy.yaml.swp", STRICT);
    write("policy.yaml~", STRICT);
    write("policy.yaml.tmp", STRICT);
    write("4913", STRICT);
    Files.createDirectory(directory.resolve("backup.yaml"));

    await().during(QUIET.multipliedBy(5)).atMost(PATIENCE)
        .until(() -> config.current().generation() == 1);
    write("policy.yaml", STRICT);
    ConfigState state = awaitState(1, s -> true);
    assertThat(state.generation()).isEqualTo(2);
    assertThat(state.files()).containsOnlyKeys("policy.yaml");
  }

  @Test
  void aKubernetesConfigMapSymlinkSwapIsSeen() throws IOException {
    Files.createDirectory(directory.resolve("..2024_01"));
    Files.writeString(directory.resolve("..2024_01/policy.yaml"), STRICT);
    Files.createSymbolicLink(directory.resolve("..data"), Path.of("..2024_01"));
    Files.createSymbolicLink(directory.resolve("policy.yaml"), Path.of("..data/policy.yaml"));
    start(QUIET, Duration.ofMillis(200));
    assertThat(peerAuthenticationModes(config.current())).containsExactly("foo/default=STRICT");

    // As the kubelet updates a ConfigMap volume: a new directory, then one atomic rename.
    Files.createDirectory(directory.resolve("..2024_02"));
    Files.writeString(directory.resolve("..2024_02/policy.yaml"),
        STRICT.replace("STRICT", "PERMISSIVE"));
    Files.createSymbolicLink(directory.resolve("..data_tmp"), Path.of("..2024_02"));
    Files.move(directory.resolve("..data_tmp"), directory.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE);

    ConfigState state = awaitState(1, s -> !peerAuthenticationModes(s).isEmpty()
        && !peerAuthenticationModes(s).equals(peerAuthenticationModes(published.get(0))));
    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=PERMISSIVE");
    assertThat(state.files()).containsOnlyKeys("policy.yaml");
  }

  @Test
  void aDirectoryThatCannotBeListedKeepsWhatIsInForce() throws IOException {
    Path watched = Files.createDirectory(directory.resolve("config"));
    Files.writeString(watched.resolve("policy.yaml"), STRICT);
    config = ConfigDirectory.start(watched, QUIET, Duration.ofMillis(200), published::add);

    Path moved = Files.move(watched, directory.resolve("moved"));

    ConfigState state = awaitState(1, s -> !s.errors().isEmpty());
    assertThat(peerAuthenticationModes(state)).containsExactly("foo/default=STRICT");
    assertThat(state.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo(watched.toString());
      assertThat(error.message())
          .isEqualTo("cannot list the directory (it does not exist), so what is in force stays");
    });

    Files.move(moved, watched);
    assertThat(awaitState(state.generation(), s -> s.errors().isEmpty()).resources())
        .isEqualTo(published.get(0).resources());
  }

  @Test
  void creationOrderSurvivesReloads() throws IOException {
    write("z.yaml", peerAuthentication("foo", "older", "STRICT"));
    start();
    write("a.yaml", peerAuthentication("foo", "newer", "STRICT"));
    awaitState(1, s -> s.resources().peerAuthentications().size() == 2);

    write("z.yaml", peerAuthentication("foo", "older", "PERMISSIVE"));

    ConfigState state = awaitState(2, s -> true);
    assertThat(state.resources().peerAuthentications().stream()
        .map(PeerAuthentication::meta).sorted(ResourceMeta.CREATION_ORDER)
        .map(ConfigYaml::origin))
        .containsExactly("older@z.yaml, document 1", "newer@a.yaml, document 1");
  }

  @Test
  void aListenerThatFailsDoesNotStopWatching() throws IOException {
    config = ConfigDirectory.start(directory, QUIET, NO_RESCAN, state -> {
      published.add(state);
      if (state.generation() == 2) {
        throw new IllegalStateException("listener bug");
      }
    });

    write("a.yaml", STRICT);
    awaitState(1, s -> true);
    write("b.yaml", destinationRule("httpbin", "httpbin"));

    awaitState(2, s -> true);
    assertThat(published).extracting(ConfigState::generation).containsExactly(1L, 2L, 3L);
  }

  @Test
  void closeStopsWatching() throws IOException {
    start().close();

    write("policy.yaml", STRICT);

    await().during(QUIET.multipliedBy(5)).atMost(PATIENCE)
        .until(() -> config.current().generation() == 1);
    assertThat(published).hasSize(1);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getName().equals(DirectoryWatcher.THREAD_NAME));
  }

  @Test
  void missingDirectoryIsAClearError() {
    Path missing = directory.resolve("config");

    assertThatThrownBy(() -> ConfigDirectory.start(missing, published::add))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(missing + ": the configuration directory does not exist");
    assertThat(published).isEmpty();
  }
}
