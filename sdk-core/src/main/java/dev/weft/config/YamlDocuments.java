package dev.weft.config;

import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses YAML text into the node trees of its documents. Only nodes are built, never Java
 * objects, so no YAML tag can instantiate a class; global tags are refused outright. Size and
 * aliases are bounded so that a hostile file cannot exhaust memory or time.
 */
final class YamlDocuments {
  /** The most characters a file may have: far more than any configuration needs. */
  static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
  /** The most aliases to mappings or lists: blocks "billion laughs" expansion. */
  static final int MAX_ALIASES = 50;
  /** The deepest nesting of mappings and lists. */
  static final int MAX_NESTING = 50;

  private YamlDocuments() {}

  /**
   * Every document in {@code reader}, in order; an empty document is a null scalar node.
   *
   * @throws YAMLException if the text is not valid YAML or exceeds a limit
   */
  static List<Node> read(Reader reader) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setAllowRecursiveKeys(false);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    List<Node> documents = new ArrayList<>();
    for (Node document : yaml.composeAll(reader)) {
      documents.add(document);
    }
    return documents;
  }
}
