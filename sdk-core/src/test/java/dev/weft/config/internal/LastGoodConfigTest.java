package dev.weft.config.internal;

import static dev.weft.config.internal.ConfigYaml.destinationRule;
import static dev.weft.config.internal.ConfigYaml.documents;
import static dev.weft.config.internal.ConfigYaml.meshConfig;
import static dev.weft.config.internal.ConfigYaml.modes;
import static dev.weft.config.internal.ConfigYaml.origin;
import static dev.weft.config.internal.ConfigYaml.peerAuthentication;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.config.ConfigLoader;
import dev.weft.config.ConfigProblem;
import dev.weft.config.internal.ConfigState.FileStatus;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.MeshConfig;
import dev.weft.policy.PeerAuthentication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last-good and merging rules, one directory scan at a time, without a watcher. */
class LastGoodConfigTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String X = peerAuthentication("foo", "x", "STRICT");
  private static final String Y = peerAuthentication("foo", "y", "STRICT");

  @TempDir
  Path directory;

  private final LastGoodConfig config = new LastGoodConfig(new ConfigLoader());
  private Instant now = START;

  private void write(String file, String yaml) throws IOException {
    Files.writeString(directory.resolve(file), yaml);
  }

  /** Scans the directory a minute after the previous scan. */
  private MergedConfig scan() throws IOException {
    now = now.plus(Duration.ofMinutes(1));
    config.update(ConfigFiles.scan(directory), now);
    return config.merged();
  }

  private static String originsOfPeerAuthentications(MergedConfig merged) {
    return String.join(", ", merged.resources().peerAuthentications().stream()
        .map(PeerAuthentication::meta).map(ConfigYaml::origin).toList());
  }

  @Test
  void aFileWithAnErrorAtStartAppliesNothingNotEvenItsValidDocuments() throws IOException {
    write("new.yaml", documents(destinationRule("httpbin", "httpbin.foo.svc.cluster.local"),
        peerAuthentication("foo", "default", "STRICTT")));

    MergedConfig merged = scan();

    assertThat(merged.resources().destinationRules()).isEmpty();
    assertThat(merged.resources().peerAuthentications()).isEmpty();
    assertThat(merged.errors()).singleElement()
        .satisfies(error -> assertThat(error.field()).isEqualTo("spec.mtls.mode"));
    assertThat(merged.files().get("new.yaml").inForceSince()).isEmpty();
  }

  @Test
  void aChangeThatRedefinesAResourceInForceElsewhereIsAnErrorInTheChangedFile()
      throws IOException {
    write("b.yaml", X);
    write("a.yaml", Y);
    scan();

    write("a.yaml", documents(Y.replace("STRICT", "PERMISSIVE"), X.replace("STRICT", "DISABLE")));
    MergedConfig merged = scan();

    assertThat(modes(merged.resources().peerAuthentications()))
        .containsExactly("foo/y=STRICT", "foo/x=STRICT");
    assertThat(merged.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("a.yaml");
      assertThat(error.document()).isEqualTo(2);
      assertThat(error.field()).isEqualTo("metadata.name");
      assertThat(error.line()).hasValue(13);
      assertThat(error.message()).isEqualTo("already defined in b.yaml, document 1");
    });
  }

  @Test
  void aRejectedFileKeepsItsOldContentWhichCanRejectAnotherChange() throws IOException {
    write("a.yaml", "");
    write("b.yaml", X);
    write("c.yaml", Y);
    scan();

    // x moves from b to a, but b's new content clashes with c, so b keeps x, and a cannot have it.
    write("a.yaml", X);
    write("b.yaml", Y);
    MergedConfig merged = scan();

    assertThat(originsOfPeerAuthentications(merged))
        .isEqualTo("x@b.yaml, document 1, y@c.yaml, document 1");
    assertThat(merged.errors()).extracting(ConfigProblem::toString).containsExactly(
        "a.yaml, document 1 (PeerAuthentication foo/x), metadata.name (line 4): already"
            + " defined in b.yaml, document 1",
        "b.yaml, document 1 (PeerAuthentication foo/y), metadata.name (line 4): already"
            + " defined in c.yaml, document 1");
  }

  @Test
  void aRejectedFileAppliesOnceTheFileItClashedWithIsDeleted() throws IOException {
    write("a.yaml", X);
    scan();
    write("b.yaml", documents(X.replace("STRICT", "DISABLE"), Y));
    assertThat(scan().errors()).hasSize(1);

    Files.delete(directory.resolve("a.yaml"));
    MergedConfig merged = scan();

    assertThat(merged.errors()).isEmpty();
    assertThat(modes(merged.resources().peerAuthentications()))
        .containsExactly("foo/x=DISABLE", "foo/y=STRICT");
    assertThat(merged.files()).containsOnlyKeys("b.yaml");
  }

  @Test
  void aSecondMeshConfigIsAnErrorInItsFileEvenOneEqualToTheDefaults() throws IOException {
    write("a.yaml", meshConfig("mesh", "{trustDomain: example.org}"));
    write("b.yaml", documents(Y, meshConfig("other", "{}")));

    MergedConfig merged = scan();

    assertThat(merged.resources().meshConfig().trustDomain().name()).isEqualTo("example.org");
    assertThat(merged.resources().peerAuthentications()).isEmpty();
    assertThat(merged.errors()).singleElement().satisfies(error -> {
      assertThat(error.source()).isEqualTo("b.yaml");
      assertThat(error.document()).isEqualTo(2);
      assertThat(error.message())
          .isEqualTo("a mesh has one MeshConfig, already defined in a.yaml, document 1");
    });
  }

  @Test
  void withoutAMeshConfigTheDefaultsApply() throws IOException {
    write("mesh.yaml", meshConfig("mesh", "{trustDomain: example.org}"));
    scan();

    Files.delete(directory.resolve("mesh.yaml"));

    assertThat(scan().resources().meshConfig()).isEqualTo(MeshConfig.DEFAULT);
  }

  @Test
  void inForceSinceMovesOnlyWhenTheFilesResourcesChange() throws IOException {
    write("a.yaml", X);
    scan();
    Instant applied = now;

    write("a.yaml", "# a comment changes no resource\n" + X);
    assertThat(scan().files().get("a.yaml").inForceSince()).hasValue(applied);

    write("a.yaml", X.replace("STRICT", "PERMISSIVE"));
    assertThat(scan().files().get("a.yaml").inForceSince()).hasValue(now);
  }

  @Test
  void eachFilesStatusSaysSinceWhenItIsInForceAndWhyItsNewContentIsNot() throws IOException {
    write("good.yaml", Y);
    write("stale.yaml", X);
    scan();
    Instant applied = now;

    write("stale.yaml", "spec: [");
    write("never.yaml", "spec: [");
    MergedConfig merged = scan();

    assertThat(merged.files()).containsOnlyKeys("good.yaml", "never.yaml", "stale.yaml");
    assertThat(merged.files().get("good.yaml"))
        .isEqualTo(new FileStatus(Optional.of(applied), List.of()));
    assertThat(merged.files().get("stale.yaml").inForceSince()).hasValue(applied);
    assertThat(merged.files().get("stale.yaml").errors()).singleElement()
        .satisfies(error -> assertThat(error.line()).isEqualTo(OptionalInt.of(1)));
    assertThat(merged.files().get("never.yaml").inForceSince()).isEmpty();
    assertThat(merged.errors()).extracting(ConfigProblem::source)
        .containsExactly("never.yaml", "stale.yaml");
  }

  @Test
  void aFileIsLoadedAgainOnlyWhenItsContentChanges() throws IOException {
    write("a.yaml", destinationRule("httpbin", "httpbin"));
    DestinationRule first = scan().resources().destinationRules().get(0);

    Files.setLastModifiedTime(directory.resolve("a.yaml"), FileTime.from(START));

    assertThat(scan().resources().destinationRules().get(0)).isSameAs(first);
    assertThat(origin(first.meta())).isEqualTo("httpbin@a.yaml, document 1");
  }
}
