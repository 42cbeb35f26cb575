package dev.weft.config;

import dev.weft.config.ConfigProblem.Severity;
import dev.weft.policy.ResourceId;
import dev.weft.policy.ResourceKind;
import dev.weft.policy.ResourceMeta;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.UnicodeReader;

/**
 * One load: reads files' documents, keeps the valid resources in reading order, rejects a
 * second definition of a resource, and collects every problem.
 */
final class LoadRun {
  private final FirstSeenOrder firstSeen;
  private final Instant now;
  private final ResourceSet resources = new ResourceSet();
  private final List<ResourceLocation> locations = new ArrayList<>();
  private final Map<ResourceId, String> definedIn = new HashMap<>();
  private Optional<String> meshConfigSource = Optional.empty();
  private final List<ConfigProblem> errors = new ArrayList<>();
  private final List<ConfigProblem> warnings = new ArrayList<>();

  LoadRun(FirstSeenOrder firstSeen, Instant now) {
    this.firstSeen = firstSeen;
    this.now = now;
  }

  /** Reads every document of {@code file}; an unreadable or malformed file is one error. */
  void readFile(Path file) {
    String source = sourceName(file);
    try (Reader reader = new UnicodeReader(Files.newInputStream(file))) {
      readDocuments(reader, source);
    } catch (NoSuchFileException e) {
      fileError(source, OptionalInt.empty(), "cannot read the file: it does not exist");
    } catch (AccessDeniedException e) {
      fileError(source, OptionalInt.empty(), "cannot read the file: permission denied");
    } catch (IOException e) {
      fileError(source, OptionalInt.empty(), "cannot read the file: " + e);
    }
  }

  /** Reads every document of {@code yaml}, naming it {@code source} in problems. */
  void readText(String yaml, String source) {
    readDocuments(new StringReader(yaml), source);
  }

  /** Records a problem with the whole of {@code source}. */
  void fileError(String source, OptionalInt line, String message) {
    errors.add(new ConfigProblem(
        Severity.ERROR, source, 0, Optional.empty(), "", line, message));
  }

  /** What this load found. */
  ConfigLoadResult result() {
    return new ConfigLoadResult(resources.toMeshResources(), locations, errors, warnings);
  }

  /** How problems and resources name {@code file}: its file name. */
  static String sourceName(Path file) {
    Path name = file.getFileName();
    return name == null ? file.toString() : name.toString();
  }

  private void readDocuments(Reader reader, String source) {
    List<Node> documents;
    try {
      documents = YamlDocuments.read(reader);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      fileError(source, mark == null ? OptionalInt.empty() : OptionalInt.of(mark.getLine() + 1),
          "not valid YAML: " + context + e.getProblem());
      return;
    } catch (YAMLException e) {
      fileError(source, OptionalInt.empty(), e.getCause() instanceof CharacterCodingException
          ? "not UTF-8 text" : "not valid YAML: " + e.getMessage());
      return;
    }
    for (int i = 0; i < documents.size(); i++) {
      DocumentProblems problems = new DocumentProblems(source, i + 1);
      DocumentReader.read(documents.get(i), problems)
          .ifPresent(resource -> accept(resource, problems));
      errors.addAll(problems.list(Severity.ERROR));
      warnings.addAll(problems.list(Severity.WARNING));
    }
  }

  private void accept(DocumentReader.Resource resource, DocumentProblems problems) {
    ResourceId id = resource.id();
    if (id.kind() == ResourceKind.MESH_CONFIG) {
      if (meshConfigSource.isPresent()) {
        problems.error("", resource.nameNode(),
            "a mesh has one MeshConfig, already defined in " + meshConfigSource.get());
        return;
      }
      meshConfigSource = Optional.of(problems.location());
    }
    String earlier = definedIn.putIfAbsent(id, problems.location());
    if (earlier != null) {
      problems.error("metadata.name", resource.nameNode(), "already defined in " + earlier);
      return;
    }
    ResourceMeta meta =
        firstSeen.meta(id, resource.creationTimestamp(), problems.location(), now);
    resource.spec().addTo(resources, meta);
    locations.add(problems.locate(id, resource.nameNode()));
  }
}
