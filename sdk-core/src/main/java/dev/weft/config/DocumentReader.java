package dev.weft.config;

import dev.weft.policy.ResourceId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads one YAML document: its kind, apiVersion and metadata, then its spec. */
final class DocumentReader {
  static final Fields FIELDS = Fields.of("apiVersion", "kind", "metadata", "spec")
      .ignoring("status");

  /**
   * A valid document that defines a resource Weft reads.
   *
   * @param id its kind, namespace and name
   * @param creationTimestamp {@code metadata.creationTimestamp}, if given
   * @param spec the spec, waiting for the resource's creation order
   * @param nameNode where the name is written, for problems about the resource as a whole
   */
  record Resource(
      ResourceId id, Optional<Instant> creationTimestamp, ParsedSpec spec, Node nameNode) {}

  private DocumentReader() {}

  /**
   * The resource {@code root} defines, if it is valid and of a kind Weft reads. An empty
   * document, or one of another kind (a warning), gives empty; so does an invalid one, whose
   * errors go to {@code problems}.
   */
  static Optional<Resource> read(Node root, DocumentProblems problems) {
    if (root.getTag().equals(Tag.NULL)) {
      return Optional.empty();
    }
    if (!(root instanceof MappingNode mapping) || !root.getTag().equals(Tag.MAP)) {
      problems.error("", root, "a document must be a mapping with apiVersion, kind, metadata"
          + " and spec");
      return Optional.empty();
    }
    YamlMap document = new YamlMap(mapping, "", problems, mapping);
    Optional<SupportedKind> kind = kind(document, problems);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    document.checkFields(FIELDS);
    Optional<String> apiVersion = document.requiredString("apiVersion",
        "apiVersion is required; " + kind.get().kind() + " accepts " + accepted(kind.get()));
    ObjectMeta meta = ObjectMeta.read(document, kind.get());
    meta.name().ifPresent(name ->
        problems.resource(new ResourceId(kind.get().kind(), meta.namespace(), name)));
    if (apiVersion.isPresent() && !kind.get().apiVersions().contains(apiVersion.get())) {
      document.error("apiVersion", kind.get().kind() + " does not have apiVersion "
          + apiVersion.get() + "; Weft reads " + accepted(kind.get()));
    }
    Optional<YamlMap> spec = document.get("spec")
        .map(YamlValue::asMap)
        .orElseGet(() -> Optional.of(new YamlMap(emptyMapping(), "spec", problems, mapping)));
    Optional<ParsedSpec> parsed = spec.map(s -> kind.get().parser().parse(s, meta.namespace()));
    if (problems.hasErrors() || parsed.isEmpty() || meta.name().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Resource(
        new ResourceId(kind.get().kind(), meta.namespace(), meta.name().get()),
        meta.creationTimestamp(), parsed.get(), meta.nameNode()));
  }

  /** The kind of {@code document}, if Weft reads it; another kind is a warning. */
  private static Optional<SupportedKind> kind(YamlMap document, DocumentProblems problems) {
    Optional<String> name = document.requiredString("kind", "kind is required");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> apiVersion = document.get("apiVersion").flatMap(YamlValue::peekString);
    Optional<SupportedKind> kind = SupportedKind.named(name.get())
        .filter(k -> apiVersion.filter(k::isOtherApis).isEmpty());
    if (kind.isEmpty()) {
      Node node = document.get("kind").map(YamlValue::node).orElse(document.node());
      problems.warning("kind", node, "kind " + name.get() + apiVersion.map(v -> " (" + v + ")")
          .orElse("") + " is not one Weft reads; skipped");
    }
    return kind;
  }

  private static String accepted(SupportedKind kind) {
    return String.join(" or ", kind.apiVersions());
  }

  private static MappingNode emptyMapping() {
    return new MappingNode(Tag.MAP, List.of(), FlowStyle.AUTO);
  }
}
