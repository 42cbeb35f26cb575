package dev.weft.config;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A document's {@code metadata}: the fields Weft reads, with Kubernetes' defaults. The other
 * fields Kubernetes defines are accepted and ignored, so that {@code kubectl get -o yaml} output
 * loads.
 *
 * @param name {@code metadata.name}; empty if missing, which is an error
 * @param namespace {@code metadata.namespace}; {@code default} when absent, as with kubectl
 * @param creationTimestamp {@code metadata.creationTimestamp}, if given
 * @param nameNode where the name is written, for problems about the resource as a whole
 */
record ObjectMeta(
    Optional<String> name, String namespace, Optional<Instant> creationTimestamp, Node nameNode) {
  static final Fields FIELDS = Fields.of("name", "namespace", "creationTimestamp")
      .ignoring("labels", "annotations", "uid", "resourceVersion", "generation", "generateName",
          "selfLink", "managedFields", "ownerReferences", "finalizers", "deletionTimestamp",
          "deletionGracePeriodSeconds");
  static final String DEFAULT_NAMESPACE = "default";

  /** Reads the {@code metadata} of {@code document}, a resource of {@code kind}. */
  static ObjectMeta read(YamlMap document, SupportedKind kind) {
    Optional<YamlMap> metadata = document.get("metadata").flatMap(YamlValue::asMap);
    if (document.get("metadata").isEmpty()) {
      document.error("metadata", "metadata is required, with at least a name");
    }
    if (metadata.isEmpty()) {
      return new ObjectMeta(Optional.empty(), DEFAULT_NAMESPACE, Optional.empty(),
          document.node());
    }
    YamlMap fields = metadata.get();
    fields.checkFields(FIELDS);
    Optional<String> name = fields.requiredString("name", "name is required");
    name.flatMap(kind::checkName).ifPresent(message -> fields.error("name", message));
    String namespace = fields.get("namespace").flatMap(YamlValue::asString)
        .filter(text -> !text.isEmpty())
        .orElse(DEFAULT_NAMESPACE);
    Names.checkDns1123Label(namespace).ifPresent(message -> fields.error("namespace", message));
    Optional<Instant> created = fields.get("creationTimestamp")
        .flatMap(value -> value.asString().flatMap(text -> timestamp(text, value)));
    Node nameNode = fields.get("name").map(YamlValue::node).orElse(fields.node());
    return new ObjectMeta(name, namespace, created, nameNode);
  }

  private static Optional<Instant> timestamp(String text, YamlValue value) {
    try {
      return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
          .toInstant());
    } catch (DateTimeParseException e) {
      value.error("expected an RFC 3339 timestamp such as 2021-03-01T10:00:00Z, found "
          + YamlValue.quoted(text));
      return Optional.empty();
    }
  }
}
