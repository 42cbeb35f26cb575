package dev.weft.config;

import static dev.weft.config.ConfigTesting.SOURCE;
import static dev.weft.config.ConfigTesting.VALID_DOCUMENT;
import static dev.weft.config.ConfigTesting.errorBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.errorsBetweenValidDocuments;
import static dev.weft.config.ConfigTesting.id;
import static dev.weft.config.ConfigTesting.load;
import static dev.weft.policy.ResourceKind.DESTINATION_RULE;
import static dev.weft.policy.ResourceKind.MESH_CONFIG;
import static dev.weft.policy.ResourceKind.PEER_AUTHENTICATION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.config.ConfigProblem.Severity;
import dev.weft.policy.DestinationRule;
import dev.weft.policy.MtlsMode;
import dev.weft.policy.PeerAuthentication;
import dev.weft.policy.ResourceMeta;
import dev.weft.policy.TlsMode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path directory;

  /** A mesh-wide PeerAuthentication named {@code name} in {@code istio-system}. */
  private static String policy(String name) {
    return VALID_DOCUMENT.replace("name: default", "name: " + name);
  }

  private static List<String> names(ConfigLoadResult result) {
    return result.resources().peerAuthentications().stream()
        .map(PeerAuthentication::meta)
        .map(ResourceMeta::name)
        .toList();
  }

  private Path write(String fileName, String text) throws IOException {
    return Files.writeString(directory.resolve(fileName), text);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getResource(name).toURI());
  }

  @Test
  void loadsEveryKindFromOneMultiDocumentFile() throws IOException {
    Path file = write("mesh.yaml", """
        apiVersion: weft.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh}
        spec: {trustDomain: example.org}
        ---
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: foo}
        spec: {mtls: {mode: STRICT}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: foo}
        spec: {host: httpbin}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: httpbin, namespace: foo}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: vm, namespace: foo}
        spec: {address: 10.0.0.5}
        """);

    ConfigLoadResult result = new ConfigLoader().load(file);

    assertThat(result.errors()).isEmpty();
    assertThat(result.hasErrors()).isFalse();
    assertThat(result.resources().meshConfig().trustDomain().name()).isEqualTo("example.org");
    assertThat(result.resources().peerAuthentications().get(0).meta().source())
        .isEqualTo("mesh.yaml, document 2");
    assertThat(result.resources().destinationRules().get(0).meta().source())
        .isEqualTo("mesh.yaml, document 3");
    assertThat(result.resources().services().get(0).meta().source())
        .isEqualTo("mesh.yaml, document 4");
    assertThat(result.resources().workloadEntries().get(0).meta().source())
        .isEqualTo("mesh.yaml, document 5");
  }

  @Test
  void saysWhereEachResourceIsDefinedTheMeshConfigToo() {
    ConfigLoadResult result = load(policy("first") + """
        ---
        apiVersion: weft.dev/v1alpha1
        kind: MeshConfig
        metadata: {name: mesh}
        spec: {}
        ---
        """ + policy("invalid").replace("STRICT", "STRICTT") + "---\n" + policy("last"));

    assertThat(result.locations()).containsExactly(
        new ResourceLocation(id(PEER_AUTHENTICATION, "istio-system", "first"), SOURCE, 1,
            OptionalInt.of(4)),
        new ResourceLocation(id(MESH_CONFIG, "default", "mesh"), SOURCE, 2, OptionalInt.of(12)),
        new ResourceLocation(id(PEER_AUTHENTICATION, "istio-system", "last"), SOURCE, 4,
            OptionalInt.of(27)));
    assertThat(result.locations().get(2)).hasToString("policies.yaml, document 4");
  }

  @Test
  void emptyDocumentsAreSkippedSilentlyButCounted() {
    ConfigLoadResult result = load("---\n# nothing here\n---\n" + policy("third") + "---\n");

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    assertThat(result.resources().peerAuthentications().get(0).meta().source())
        .isEqualTo("policies.yaml, document 2");
  }

  @Test
  void loadsTheYamlFilesOfADirectoryInNameOrder() throws IOException {
    write("b.yaml", policy("b"));
    write("a.yml", policy("a"));
    write("c.yaml", policy("c1") + "---\n" + policy("c2"));
    write("notes.txt", policy("not-yaml"));
    write(".hidden.yaml", policy("hidden"));
    Files.createDirectory(directory.resolve("sub"));
    write("sub/d.yaml", policy("in-subdirectory"));

    ConfigLoadResult result = new ConfigLoader().load(directory);

    assertThat(result.errors()).isEmpty();
    assertThat(names(result)).containsExactly("a", "b", "c1", "c2");
    assertThat(result.resources().peerAuthentications().get(3).meta().source())
        .isEqualTo("c.yaml, document 2");
  }

  @Test
  void loadsAFileGivenDirectlyWhateverItsName() throws IOException {
    Path file = write("policies.conf", policy("direct"));

    assertThat(names(new ConfigLoader().load(file))).containsExactly("direct");
  }

  @Test
  void malformedFileIsOneErrorAndTheOtherFilesStillLoad() throws IOException {
    write("a.yaml", policy("a"));
    write("b.yaml", policy("b1") + "---\nkind: [PeerAuthentication\nmetadata: {name: b2}\n");
    write("c.yaml", policy("c"));

    ConfigLoadResult result = new ConfigLoader().load(directory);

    assertThat(names(result)).containsExactly("a", "c");
    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo("b.yaml");
      assertThat(problem.document()).isZero();
      assertThat(problem.resource()).isEmpty();
      assertThat(problem.line()).isPresent();
      assertThat(problem.message()).startsWith("not valid YAML: ");
      assertThat(problem.toString()).startsWith("b.yaml (line ");
    });
  }

  @Test
  void fileThatIsNotUtf8IsOneError() throws IOException {
    Files.write(directory.resolve("latin1.yaml"),
        "metadata: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1));
    write("ok.yaml", policy("ok"));

    ConfigLoadResult result = new ConfigLoader().load(directory);

    assertThat(names(result)).containsExactly("ok");
    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo("latin1.yaml");
      assertThat(problem.message()).isEqualTo("not UTF-8 text");
    });
  }

  @Test
  void missingPathIsAnError() {
    ConfigLoadResult result = new ConfigLoader().load(directory.resolve("absent.yaml"));

    assertThat(result.resources().peerAuthentications()).isEmpty();
    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.source()).isEqualTo("absent.yaml");
      assertThat(problem.message()).isEqualTo("cannot read the file: it does not exist");
    });
  }

  @Test
  void otherKindsAreSkippedWithAWarning() {
    ConfigLoadResult result = load(policy("first") + """
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: httpbin}
        spec:
          replicas: 1
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: httpbin}
        spec: {hosts: [httpbin]}
        """);

    assertThat(result.errors()).isEmpty();
    assertThat(names(result)).containsExactly("first");
    assertThat(result.warnings()).extracting(ConfigProblem::toString).containsExactly(
        "policies.yaml, document 2, kind (line 11): kind Deployment (apps/v1) is not one Weft"
            + " reads; skipped",
        "policies.yaml, document 3, kind (line 17): kind VirtualService"
            + " (networking.istio.io/v1) is not one Weft reads; skipped");
    assertThat(result.warnings())
        .allSatisfy(warning -> assertThat(warning.severity()).isEqualTo(Severity.WARNING));
  }

  @Test
  void knownKindWithAnUnsupportedApiVersionIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: security.istio.io/v1alpha1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec: {}
        """);

    assertThat(problem.resource()).contains(id(PEER_AUTHENTICATION, "bar", "httpbin"));
    assertThat(problem.field()).isEqualTo("apiVersion");
    assertThat(problem.message()).isEqualTo("PeerAuthentication does not have apiVersion"
        + " security.istio.io/v1alpha1; Weft reads security.istio.io/v1beta1 or"
        + " security.istio.io/v1");
  }

  @Test
  void documentWithoutKindOrApiVersionIsRejected() {
    assertThat(errorBetweenValidDocuments("apiVersion: v1\nmetadata: {name: x}\n").message())
        .isEqualTo("kind is required");
    assertThat(errorBetweenValidDocuments("kind: DestinationRule\nmetadata: {name: x}\n"
        + "spec: {host: x}\n").message())
        .isEqualTo("apiVersion is required; DestinationRule accepts networking.istio.io/v1alpha3"
            + " or networking.istio.io/v1beta1 or networking.istio.io/v1");
  }

  @Test
  void documentThatIsNotAMappingIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("- just\n- a list\n");

    assertThat(problem.field()).isEmpty();
    assertThat(problem.message())
        .isEqualTo("a document must be a mapping with apiVersion, kind, metadata and spec");
  }

  @Test
  void namespaceDefaultsToDefault() {
    ConfigLoadResult result = load("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin}
        spec: {host: httpbin}
        """);

    assertThat(result.resources().destinationRules().get(0).meta().id())
        .isEqualTo(id(DESTINATION_RULE, "default", "httpbin"));
  }

  @Test
  void nameIsRequired() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {namespace: bar}
        spec: {host: httpbin}
        """);

    assertThat(problem.resource()).isEmpty();
    assertThat(problem.field()).isEqualTo("metadata.name");
    assertThat(problem.message()).isEqualTo("name is required");
  }

  @Test
  void namesAndNamespacesFollowKubernetesSyntax() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: Http_Bin, namespace: bar.baz}
        spec: {host: httpbin}
        """);

    assertThat(errors).extracting(ConfigProblem::field)
        .containsExactly("metadata.name", "metadata.namespace");
    assertThat(errors.get(0).message())
        .startsWith("\"Http_Bin\" is not a valid DNS-1123 subdomain");
    assertThat(errors.get(1).message()).startsWith("\"bar.baz\" is not a valid DNS-1123 label");
  }

  @Test
  void sameResourceTwiceIsAnErrorOnTheLaterDocument() throws IOException {
    write("a.yaml", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec: {mtls: {mode: STRICT}}
        """);
    write("b.yaml", """
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata: {name: httpbin, namespace: bar}
        spec: {mtls: {mode: DISABLE}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec: {host: httpbin}
        """);

    ConfigLoadResult result = new ConfigLoader().load(directory);

    assertThat(result.resources().peerAuthentications()).singleElement()
        .satisfies(policy -> assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT));
    assertThat(result.resources().destinationRules()).hasSize(1);
    assertThat(result.errors()).extracting(ConfigProblem::toString).containsExactly(
        "b.yaml, document 1 (PeerAuthentication bar/httpbin), metadata.name (line 3): already"
            + " defined in a.yaml, document 1");
  }

  @Test
  void kubectlOutputFieldsAreAccepted() {
    ConfigLoadResult result = load("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: httpbin
          namespace: bar
          uid: 6c9f1d0e-2a5b-4d6e-9f3a-1b2c3d4e5f60
          resourceVersion: "12345"
          generation: 3
          labels: {app: httpbin}
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: "{}"
          managedFields: []
        spec:
          host: httpbin
        status:
          validationMessages: []
        """);

    assertThat(result.errors()).isEmpty();
    assertThat(result.resources().destinationRules()).hasSize(1);
  }

  @Test
  void unknownTopLevelAndMetadataFieldsAreRejected() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar, nmespace: baz}
        spec: {host: httpbin}
        data: {}
        """);

    assertThat(errors).extracting(ConfigProblem::field)
        .containsExactly("data", "metadata.nmespace");
  }

  @Test
  void specOfTheWrongTypeIsRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec: httpbin
        """);

    assertThat(problem.field()).isEqualTo("spec");
    assertThat(problem.message()).isEqualTo("expected a mapping, found the string \"httpbin\"");
  }

  @Test
  void duplicateKeysAreRejected() {
    ConfigProblem problem = errorBetweenValidDocuments("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          host: httpbin
          host: other
        """);

    assertThat(problem.field()).isEqualTo("spec");
    assertThat(problem.message()).isEqualTo("duplicate key \"host\"");
  }

  @Test
  void mergeKeysAndCustomTagsAreRejected() {
    List<ConfigProblem> errors = errorsBetweenValidDocuments("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: httpbin, namespace: bar}
        spec:
          <<: {host: httpbin}
          exportTo: !namespaces [foo]
        """);

    assertThat(errors).extracting(ConfigProblem::message).containsExactly(
        "merge keys (<<) are not supported; write the fields out",
        "host is required",
        "expected a list, found a value with the custom tag !namespaces");
  }

  @Test
  void globalTagsThatNameJavaClassesMakeTheFileInvalid() {
    ConfigLoadResult result = load(policy("first") + """
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: x}
        spec: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]
        """);

    assertThat(result.resources().peerAuthentications()).isEmpty();
    assertThat(result.errors()).singleElement().satisfies(problem -> {
      assertThat(problem.document()).isZero();
      assertThat(problem.message()).contains("Global tag is not allowed");
    });
  }

  @Test
  void aliasExpansionIsBounded() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char previous = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, "*" + previous)))
          .append("]\n");
    }

    ConfigLoadResult result = load(bomb.toString());

    assertThat(result.errors()).singleElement().satisfies(problem ->
        assertThat(problem.message()).contains("Number of aliases for non-scalar nodes exceeds"));
  }

  @Test
  void scenario04LoadsWithoutProblems() throws URISyntaxException {
    ConfigLoadResult result = new ConfigLoader().load(resource("scenario-04.yaml"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    PeerAuthentication policy = result.resources().peerAuthentications().get(0);
    assertThat(policy.meta().id()).isEqualTo(id(PEER_AUTHENTICATION, "bar", "httpbin"));
    assertThat(policy.selector()).isEqualTo(Map.of("app", "httpbin"));
    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    DestinationRule rule = result.resources().destinationRules().get(0);
    assertThat(rule.meta().id()).isEqualTo(id(DESTINATION_RULE, "bar", "httpbin"));
    assertThat(rule.host()).isEqualTo("httpbin.bar.svc.cluster.local");
    assertThat(rule.trafficPolicy().orElseThrow().tls().orElseThrow().mode())
        .isEqualTo(TlsMode.DISABLE);
  }

  @Test
  void portLevelMtlsExampleLoadsWithoutProblems() throws URISyntaxException {
    ConfigLoadResult result = new ConfigLoader().load(resource("port-level-mtls.yaml"));

    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
    PeerAuthentication policy = result.resources().peerAuthentications().get(0);
    assertThat(policy.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(policy.portLevelMtls()).isEqualTo(Map.of(80, MtlsMode.DISABLE));
  }
}
