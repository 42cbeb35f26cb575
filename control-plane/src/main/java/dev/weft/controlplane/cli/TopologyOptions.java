package dev.weft.controlplane.cli;

import dev.weft.config.ConfigLoadResult;
import dev.weft.config.ConfigLoader;
import dev.weft.controlplane.explain.MatrixPredictor;
import dev.weft.controlplane.explain.Scenario;
import dev.weft.controlplane.explain.StandardTopology;
import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshResources;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that say which configuration applies to which standard topology, shared by
 * {@code weft explain --matrix} and {@code weft matrix}: {@code --config} or a shipped
 * {@code --scenario}, {@code --namespaces}, {@code --mesh}, {@code --compat}, {@code --show}.
 * Options given win over a scenario's own.
 */
public final class TopologyOptions {
  @Spec(Spec.Target.MIXEE) private CommandSpec spec;

  @Option(names = "--config", paramLabel = "PATH",
      description = "A YAML file, or a directory of them, with the Istio resources in force.")
  private Path config;

  @Option(names = "--scenario", paramLabel = "NAME",
      description = "A scenario shipped with Weft: its resources, namespaces and compatibility"
          + " (options given here win).")
  private String scenario;

  @Option(names = "--namespaces", split = ",", paramLabel = "NS",
      description = "The standard topology's namespaces.")
  private List<String> namespaces;

  @Option(names = "--mesh", split = ",", paramLabel = "NS",
      description = "The namespaces that run Weft (default: all of them).")
  private List<String> mesh;

  @Option(names = "--compat", paramLabel = "latest|1.9", converter = CompatibilityConverter.class,
      description = "Which Istio release's auto-mTLS rules to follow (default: the MeshConfig's,"
          + " else latest).")
  private Compatibility compatibility;

  @Option(names = "--show", paramLabel = "code|identity", defaultValue = "code",
      converter = ShowConverter.class,
      description = "The status each client sees, or the identity each server sees"
          + " (default: ${DEFAULT-VALUE}).")
  private MatrixPredictor.Show show;

  /** The shipped scenario named, if any. */
  public Optional<Scenario> scenario() {
    if (config != null && scenario != null) {
      throw usage("--config and --scenario both name the resources; give one");
    }
    if (scenario == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Scenario.named(scenario));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** The configuration: {@code --config}'s, the scenario's, or none. */
  public ConfigLoadResult load() {
    ConfigLoader loader = new ConfigLoader();
    if (config != null) {
      if (!config.toFile().exists()) {
        throw new CommandFailedException("--config " + config + " does not exist");
      }
      return loader.load(config);
    }
    Optional<Scenario> chosen = scenario();
    return loader.load(chosen.flatMap(Scenario::config).orElse(""),
        chosen.map(s -> s.name() + "/config.yaml").orElse("no configuration"));
  }

  /** {@code --compat}, else the scenario's, else the configuration's. */
  public Compatibility compatibility(MeshResources resources) {
    if (compatibility != null) {
      return compatibility;
    }
    return scenarioOption("--compat").map(Compatibility::parse)
        .orElse(resources.meshConfig().compatibility());
  }

  /**
   * The topology of {@code --namespaces} (else the scenario's, else {@code implied}) with Weft
   * in {@code --mesh} (else the scenario's, else every namespace).
   */
  public StandardTopology topology(Supplier<List<String>> implied) {
    List<String> names = namespaces != null ? namespaces
        : scenarioOption("--namespaces").map(v -> List.of(v.split(","))).orElseGet(implied);
    List<String> inMesh = mesh != null ? mesh
        : scenarioOption("--mesh").map(v -> List.of(v.split(","))).orElse(names);
    try {
      return new StandardTopology(names, Set.copyOf(inMesh));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** What each line of a matrix shows. */
  public MatrixPredictor.Show show() {
    return show;
  }

  /** Whether the namespaces were given, by option or scenario. */
  public boolean hasNamespaces() {
    return namespaces != null || scenarioOption("--namespaces").isPresent();
  }

  private Optional<String> scenarioOption(String name) {
    List<String> arguments = scenario().map(Scenario::arguments).orElse(List.of());
    int at = arguments.indexOf(name);
    return at >= 0 && at + 1 < arguments.size()
        ? Optional.of(arguments.get(at + 1)) : Optional.empty();
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
