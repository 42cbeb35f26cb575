package dev.weft.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping at a field path: an object's fields ({@link #get}) or a map's entries
 * ({@link #entries}). Keys must be scalars and appear once; a key breaking that is an error and
 * left out.
 */
final class YamlMap {
  /** One entry; both paths are the map's path with the key, such as {@code matchLabels[app]}. */
  record Entry(YamlValue key, YamlValue value) {}

  private final MappingNode node;
  private final String path;
  private final DocumentProblems problems;
  private final Node position;
  private final Map<String, NodeTuple> tuples = new LinkedHashMap<>();

  /** {@code node} at {@code path}; problems about the whole mapping go to {@code position}. */
  YamlMap(MappingNode node, String path, DocumentProblems problems, Node position) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.position = position;
    for (NodeTuple tuple : node.getValue()) {
      Node key = tuple.getKeyNode();
      if (key.getTag().equals(Tag.MERGE)) {
        problems.error(path, key, "merge keys (<<) are not supported; write the fields out");
      } else if (!(key instanceof ScalarNode scalar)) {
        problems.error(path, key, "a key must be a plain value, not a mapping or a list");
      } else if (tuples.putIfAbsent(scalar.getValue(), tuple) != null) {
        problems.error(path, key, "duplicate key " + YamlValue.quoted(scalar.getValue()));
      }
    }
  }

  String path() {
    return path;
  }

  Node node() {
    return node;
  }

  /** Records an error about the whole mapping. */
  void error(String message) {
    problems.error(path, position, message);
  }

  /** Records a warning about the whole mapping. */
  void warning(String message) {
    problems.warning(path, position, message);
  }

  /**
   * Records an error about {@code field}, at its line when present and the mapping's otherwise
   * (for a required field that is missing).
   */
  void error(String field, String message) {
    NodeTuple tuple = tuples.get(field);
    problems.error(child(field), tuple == null ? position : tuple.getKeyNode(), message);
  }

  boolean isEmpty() {
    return tuples.isEmpty();
  }

  /** The value of {@code field}; empty when absent or null, as protobuf reads null. */
  Optional<YamlValue> get(String field) {
    NodeTuple tuple = tuples.get(field);
    if (tuple == null || tuple.getValueNode().getTag().equals(Tag.NULL)) {
      return Optional.empty();
    }
    return Optional.of(
        new YamlValue(tuple.getValueNode(), child(field), problems, tuple.getKeyNode()));
  }

  /** A string field that must be present and not empty; reports {@code message} otherwise. */
  Optional<String> requiredString(String field, String message) {
    Optional<YamlValue> value = get(field);
    Optional<String> text = value.flatMap(YamlValue::asString);
    if (value.isEmpty() || text.filter(String::isEmpty).isPresent()) {
      error(field, message);
    }
    return text.filter(t -> !t.isEmpty());
  }

  /** The entries, in the order written. */
  List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    tuples.forEach((name, tuple) -> {
      String entryPath = path + "[" + name + "]";
      Node key = tuple.getKeyNode();
      entries.add(new Entry(new YamlValue(key, entryPath, problems),
          new YamlValue(tuple.getValueNode(), entryPath, problems, key)));
    });
    return entries;
  }

  /**
   * Reports every key that is not one of {@code fields} as an error, and every ignored field
   * that could change security behaviour as a warning.
   */
  void checkFields(Fields fields) {
    tuples.forEach((name, tuple) -> {
      Node key = tuple.getKeyNode();
      if (!fields.contains(name)) {
        problems.error(child(name), key, "unknown field " + YamlValue.quoted(name)
            + "; the fields here are " + String.join(", ", fields.all()));
      } else if (fields.ignoredWithWarning().containsKey(name)) {
        problems.warning(child(name), key, fields.ignoredWithWarning().get(name));
      }
    });
  }

  private String child(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
