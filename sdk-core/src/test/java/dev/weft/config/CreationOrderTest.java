package dev.weft.config;

import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreationOrderTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir
  Path directory;

  private final SteppingClock clock = new SteppingClock();
  private final ConfigLoader loader = new ConfigLoader(clock);

  /** A PeerAuthentication {@code namespace/name}, with {@code metadataExtra} in its metadata. */
  private static String policy(String namespace, String name, String metadataExtra) {
    return """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: %s
          namespace: %s
        %s
        spec: {}
        """.formatted(name, namespace, metadataExtra.indent(2).stripTrailing());
  }

  private static String policy(String name) {
    return policy("foo", name, "");
  }

  private static List<ResourceMeta> metas(ConfigLoadResult result) {
    assertThat(result.errors()).isEmpty();
    return result.resources().peerAuthentications().stream().map(PeerAuthentication::meta)
        .toList();
  }

  private static List<String> namesInCreationOrder(ConfigLoadResult result) {
    return metas(result).stream()
        .sorted(ResourceMeta.CREATION_ORDER)
        .map(ResourceMeta::name)
        .toList();
  }

  @Test
  void explicitCreationTimestampIsTheCreationTime() {
    List<ResourceMeta> metas = metas(loader.load(
        policy("foo", "utc", "creationTimestamp: 2021-03-01T10:00:00Z") + "---\n"
            + policy("foo", "offset", "creationTimestamp: \"2021-03-01T11:00:00.5+01:00\""),
        "policies.yaml"));

    assertThat(metas.get(0).created()).isEqualTo(Instant.parse("2021-03-01T10:00:00Z"));
    assertThat(metas.get(0).explicitTimestamp()).isTrue();
    assertThat(metas.get(1).created()).isEqualTo(Instant.parse("2021-03-01T10:00:00.5Z"));
  }

  @Test
  void invalidCreationTimestampIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments(
        policy("foo", "httpbin", "creationTimestamp: \"2021-03-01 10:00\""));

    assertThat(problem.field()).isEqualTo("metadata.creationTimestamp");
    assertThat(problem.message()).isEqualTo("expected an RFC 3339 timestamp such as"
        + " 2021-03-01T10:00:00Z, found \"2021-03-01 10:00\"");
  }

  @Test
  void withoutATimestampAResourceIsCreatedWhenFirstSeen() {
    List<ResourceMeta> metas = metas(loader.load(policy("a") + "---\n" + policy("b"), "p.yaml"));

    assertThat(metas).allSatisfy(meta -> {
      assertThat(meta.created()).isEqualTo(START);
      assertThat(meta.explicitTimestamp()).isFalse();
    });
    assertThat(metas.get(0).sequence()).isLessThan(metas.get(1).sequence());
  }

  @Test
  void firstSeenOrderSurvivesReloadsWhenNewDocumentsComeFirst() throws IOException {
    Path file = directory.resolve("policies.yaml");
    Files.writeString(file, policy("old-a") + "---\n" + policy("old-b"));
    List<ResourceMeta> first = metas(loader.load(file));

    clock.advance(Duration.ofMinutes(5));
    Files.writeString(file, policy("new") + "---\n" + policy("old-a") + "---\n" + policy("old-b"));
    ConfigLoadResult reloaded = loader.load(file);

    assertThat(namesInCreationOrder(reloaded)).containsExactly("old-a", "old-b", "new");
    assertThat(metas(reloaded).subList(1, 3)).extracting(ResourceMeta::created)
        .containsExactly(first.get(0).created(), first.get(1).created());
    assertThat(metas(reloaded).get(0).created()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    assertThat(metas(reloaded).get(1).source()).isEqualTo("policies.yaml, document 2");
  }

  @Test
  void firstSeenOrderIsSharedBetweenFilesAndText() throws IOException {
    Path file = Files.writeString(directory.resolve("policies.yaml"), policy("from-file"));
    loader.load(file);

    ConfigLoadResult result = loader.load(policy("from-text") + "---\n" + policy("from-file"),
        "annotations");

    assertThat(namesInCreationOrder(result)).containsExactly("from-file", "from-text");
  }

  @Test
  void aResourceCountsAsSeenOnlyOnceItIsValid() {
    String invalidLater = policy("late").replace("spec: {}", "spec: {mtls: {mode: WRONG}}");
    loader.load(invalidLater + "---\n" + policy("valid"), "p.yaml");

    ConfigLoadResult fixed = loader.load(policy("late") + "---\n" + policy("valid"), "p.yaml");

    assertThat(namesInCreationOrder(fixed)).containsExactly("valid", "late");
  }

  @Test
  void equalExplicitTimestampsTieBreakByNameThenNamespace() {
    String at = "creationTimestamp: 2021-03-01T10:00:00Z";
    ConfigLoadResult result = loader.load(String.join("---\n",
        policy("zeta", "b", at), policy("alpha", "b", at), policy("alpha", "a", at),
        policy("foo", "c", "creationTimestamp: 2021-02-01T10:00:00Z")), "p.yaml");

    assertThat(metas(result).stream().sorted(ResourceMeta.CREATION_ORDER)
        .map(meta -> meta.namespace() + "/" + meta.name()))
        .containsExactly("foo/c", "alpha/a", "alpha/b", "zeta/b");
  }

  @Test
  void aClockSteppingBackDoesNotMakeLaterResourcesOlder() {
    loader.load(policy("first"), "p.yaml");
    clock.advance(Duration.ofHours(-1));

    ConfigLoadResult result = loader.load(policy("second") + "---\n" + policy("first"), "p.yaml");

    assertThat(metas(result)).extracting(ResourceMeta::created).containsOnly(START);
    assertThat(namesInCreationOrder(result)).containsExactly("first", "second");
  }

  /** A clock that moves only when told to. */
  private static final class SteppingClock extends Clock {
    private Instant now = START;

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
