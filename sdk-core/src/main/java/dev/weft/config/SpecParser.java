package dev.weft.config;

/** Reads and checks the {@code spec} of one kind of resource. */
interface SpecParser {

  /**
   * Reads {@code spec} (empty when the document has none) of a resource in {@code namespace},
   * recording problems in the spec's document. The result is meaningful only if the document
   * has no errors.
   */
  ParsedSpec parse(YamlMap spec, String namespace);
}
