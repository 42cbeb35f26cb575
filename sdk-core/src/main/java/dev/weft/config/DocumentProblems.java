package dev.weft.config;

import dev.weft.config.ConfigProblem.Severity;
import dev.weft.policy.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The problems found in one document (or, with document 0, in a whole file). Every problem
 * names the resource once it is known, even one reported before the name was read.
 */
final class DocumentProblems {
  private record Found(Severity severity, String field, OptionalInt line, String message) {}

  private final String source;
  private final int document;
  private final List<Found> found = new ArrayList<>();
  private Optional<ResourceId> resource = Optional.empty();

  DocumentProblems(String source, int document) {
    this.source = source;
    this.document = document;
  }

  /** The file name and document number, as resources record where they came from. */
  String location() {
    return source + ", document " + document;
  }

  /** Where this document defines {@code id}, whose name is written at {@code nameNode}. */
  ResourceLocation locate(ResourceId id, Node nameNode) {
    return new ResourceLocation(id, source, document, lineOf(nameNode));
  }

  /** Names the resource in every problem of this document. */
  void resource(ResourceId id) {
    resource = Optional.of(id);
  }

  /** Records an error at {@code field}; {@code node}, if it has a position, gives the line. */
  void error(String field, Node node, String message) {
    found.add(new Found(Severity.ERROR, field, lineOf(node), message));
  }

  /** Records a warning at {@code field}; {@code node}, if it has a position, gives the line. */
  void warning(String field, Node node, String message) {
    found.add(new Found(Severity.WARNING, field, lineOf(node), message));
  }

  boolean hasErrors() {
    return found.stream().anyMatch(f -> f.severity == Severity.ERROR);
  }

  /** The problems of {@code severity}, in the order they were found. */
  List<ConfigProblem> list(Severity severity) {
    return found.stream()
        .filter(f -> f.severity == severity)
        .map(f -> new ConfigProblem(
            f.severity, source, document, resource, f.field, f.line, f.message))
        .toList();
  }

  private static OptionalInt lineOf(Node node) {
    if (node == null || node.getStartMark() == null) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(node.getStartMark().getLine() + 1);
  }
}
