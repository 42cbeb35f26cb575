package dev.weft.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML node at a field path, read as the type its field expects. A node of another type
 * becomes an error naming the field and what was expected, and reads as empty.
 *
 * <p>Types follow Kubernetes: a string field takes only text (quote {@code "1"} or
 * {@code "true"} to make them strings), a number field only an integer.
 */
final class YamlValue {
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  static final int MAX_PORT = 65535;

  private final Node node;
  private final String path;
  private final DocumentProblems problems;
  private final Node position;

  /** {@code node} at {@code path}; problems about it are reported at {@code node}'s line. */
  YamlValue(Node node, String path, DocumentProblems problems) {
    this(node, path, problems, node);
  }

  /**
   * {@code node} at {@code path}; problems about it are reported at {@code position}'s line,
   * the line of its key for a field, which is where a reader looks for a block value.
   */
  YamlValue(Node node, String path, DocumentProblems problems, Node position) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.position = position;
  }

  Node node() {
    return node;
  }

  /** Records an error about this value. */
  void error(String message) {
    problems.error(path, position, message);
  }

  /** Text; timestamps count as text, as Kubernetes reads them. */
  Optional<String> asString() {
    return isString() ? Optional.of(((ScalarNode) node).getValue()) : mismatch("a string");
  }

  /** The text, if this is a string; unlike {@link #asString()}, reports nothing otherwise. */
  Optional<String> peekString() {
    return isString() ? Optional.of(((ScalarNode) node).getValue()) : Optional.empty();
  }

  /** Text, or a number as written: for values such as versions that YAML reads as numbers. */
  Optional<String> asStringOrNumber() {
    if (node instanceof ScalarNode scalar
        && (node.getTag().equals(Tag.INT) || node.getTag().equals(Tag.FLOAT))) {
      return Optional.of(scalar.getValue());
    }
    return asString();
  }

  /** Text that is one of {@code names}; {@code what} names the value in messages. */
  Optional<String> asOneOf(List<String> names, String what) {
    Optional<String> text = asString();
    if (text.isPresent() && !names.contains(text.get())) {
      error("unknown " + what + " " + quoted(text.get()) + "; valid values are "
          + String.join(", ", names));
      return Optional.empty();
    }
    return text;
  }

  /** An integer written in decimal. */
  Optional<Integer> asInt() {
    if (!(node instanceof ScalarNode scalar) || !node.getTag().equals(Tag.INT)) {
      return mismatch("an integer");
    }
    String text = scalar.getValue();
    if (!DECIMAL.matcher(text).matches()) {
      error("expected an integer written in decimal, found " + text);
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      error("the number " + text + " is too large");
      return Optional.empty();
    }
  }

  /** A port number, 1 to 65535. */
  Optional<Integer> asPort() {
    Optional<Integer> number = asInt();
    if (number.isPresent() && !isPort(number.get())) {
      error("must be a port number from 1 to " + MAX_PORT + ", found " + number.get());
      return Optional.empty();
    }
    return number;
  }

  /** {@code true} or {@code false} (YAML 1.1 also reads yes/no and on/off as booleans). */
  Optional<Boolean> asBool() {
    if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.BOOL)) {
      String text = scalar.getValue().toLowerCase(Locale.ROOT);
      return Optional.of(text.equals("true") || text.equals("yes") || text.equals("on"));
    }
    return mismatch("true or false");
  }

  /** A mapping of fields or entries. */
  Optional<YamlMap> asMap() {
    if (node instanceof MappingNode mapping && node.getTag().equals(Tag.MAP)) {
      return Optional.of(new YamlMap(mapping, path, problems, position));
    }
    return mismatch("a mapping");
  }

  /** A list; each element's path is this path with its index, such as {@code subsets[1]}. */
  Optional<List<YamlValue>> asList() {
    if (!(node instanceof SequenceNode sequence) || !node.getTag().equals(Tag.SEQ)) {
      return mismatch("a list");
    }
    List<YamlValue> elements = new ArrayList<>();
    List<Node> nodes = sequence.getValue();
    for (int i = 0; i < nodes.size(); i++) {
      elements.add(new YamlValue(nodes.get(i), path + "[" + i + "]", problems));
    }
    return Optional.of(elements);
  }

  /** A list of strings; elements that are not strings are errors and left out. */
  Optional<List<String>> asStringList() {
    return asList().map(elements -> elements.stream()
        .flatMap(element -> element.asString().stream())
        .toList());
  }

  /** {@code text} in double quotes, shortened if long, for messages. */
  static String quoted(String text) {
    int max = 64;
    return "\"" + (text.length() <= max ? text : text.substring(0, max) + "...") + "\"";
  }

  private boolean isString() {
    return node instanceof ScalarNode
        && (node.getTag().equals(Tag.STR) || node.getTag().equals(Tag.TIMESTAMP));
  }

  static boolean isPort(int number) {
    return number >= 1 && number <= MAX_PORT;
  }

  private <T> Optional<T> mismatch(String expected) {
    String found = describe();
    String hint = expected.equals("a string") && isPlainScalar()
        ? "; quote it to make it a string" : "";
    error("expected " + expected + ", found " + found + hint);
    return Optional.empty();
  }

  private boolean isPlainScalar() {
    return node instanceof ScalarNode
        && (node.getTag().equals(Tag.INT) || node.getTag().equals(Tag.FLOAT)
            || node.getTag().equals(Tag.BOOL));
  }

  private String describe() {
    Tag tag = node.getTag();
    if (!tag.getValue().startsWith(Tag.PREFIX)) {
      return "a value with the custom tag " + tag.getValue();
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    String text = ((ScalarNode) node).getValue();
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "the number " + text;
    }
    if (tag.equals(Tag.BOOL)) {
      return "the boolean " + text;
    }
    if (tag.equals(Tag.NULL)) {
      return "nothing (null)";
    }
    if (tag.equals(Tag.STR) || tag.equals(Tag.TIMESTAMP)) {
      return "the string " + quoted(text);
    }
    return "a value of type " + tag.getValue().substring(Tag.PREFIX.length());
  }
}
