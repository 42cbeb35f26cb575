package dev.weft.controlplane.cli;

import dev.weft.config.ConfigLoadResult;
import dev.weft.controlplane.explain.CompiledPolicyClasses;
import dev.weft.controlplane.explain.ExplanationText;
import dev.weft.controlplane.explain.MatrixPredictor;
import dev.weft.controlplane.explain.RequestPredictor;
import dev.weft.controlplane.explain.StandardTopology;
import dev.weft.policy.Compatibility;
import dev.weft.policy.MeshResources;
import dev.weft.policy.PolicyResolver;
import dev.weft.policy.ResolvedPolicy;
import dev.weft.policy.Service;
import dev.weft.policy.Workload;
import dev.weft.policy.WorkloadPolicy;
import dev.weft.policy.internal.Hosts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code explain}: what a request will do under the configuration, and which resources decide it. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Explain what a request does under Istio configuration, naming every resource that"
            + " decides it, or predict the request matrix of the standard topology.",
        "The standard topology: in every namespace, httpbin (container port 80) behind Service"
            + " httpbin (port 8000), and sleep; the --mesh namespaces run both with Weft.",
        "Examples:",
        "  weft explain --config policies/ --from foo/sleep --to httpbin.bar:8000",
        "  weft explain --matrix --config policies/ --namespaces foo,bar,legacy --mesh foo,bar",
        "  weft explain --matrix --scenario 04-strict-vs-dr-disable",
        "  weft explain --config policies/ --from foo/sleep --to httpbin.bar:8000"
            + " --authored bar/httpbin=target/classes"})
public final class ExplainCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private VerboseOption verbose;
  @Mixin private TopologyOptions options;

  @Option(names = "--from", paramLabel = "NS/WORKLOAD",
      description = "The calling workload, such as foo/sleep.")
  private String from;

  @Option(names = "--to", paramLabel = "HOST:PORT",
      description = "What it calls, such as httpbin.bar:8000.")
  private String to;

  @Option(names = "--matrix",
      description = "Predict the matrix: every sleep calling every httpbin.")
  private boolean matrix;

  @Option(names = "--authored", paramLabel = "NS/WORKLOAD=PATH",
      description = "The policy a workload authors with Weft's annotations, read from its"
          + " compiled classes (a classes folder or a jar), such as"
          + " bar/httpbin=target/classes. Repeatable.")
  private Map<String, Path> authored = new LinkedHashMap<>();

  @Override
  public Integer call() {
    checkOptions();
    ConfigLoadResult loaded = options.load();
    Compatibility compat = options.compatibility(loaded.resources());
    StandardTopology topology = options.topology(this::impliedNamespaces);
    ResolvedPolicy policy = resolve(loaded.resources(), compat, topology, authoredPolicies());
    PrintWriter err = spec.commandLine().getErr();
    loaded.errors().forEach(problem -> err.println("error: " + problem));
    loaded.warnings().forEach(problem -> err.println("warning: " + problem));
    policy.warnings().forEach(warning -> err.println("warning: " + warning));

    PrintWriter out = spec.commandLine().getOut();
    if (matrix) {
      new MatrixPredictor(topology, policy).lines(options.show()).forEach(out::println);
    } else {
      try {
        ExplanationText.lines(
            new RequestPredictor(policy).predict(client(policy), host(), port()))
            .forEach(out::println);
      } catch (IllegalArgumentException e) {
        throw new CommandFailedException(e.getMessage(), e);
      }
    }
    out.flush();
    return loaded.hasErrors() ? 1 : 0;
  }

  private void checkOptions() {
    if (matrix && (from != null || to != null)) {
      throw usage("--matrix predicts every pair; leave out --from and --to");
    }
    if (!matrix && (from == null || to == null)) {
      throw usage("say what to explain: --from NS/WORKLOAD and --to HOST:PORT, or --matrix");
    }
    options.scenario();
  }

  /** Without --namespaces, a single request's topology is the namespaces it involves. */
  private List<String> impliedNamespaces() {
    if (matrix) {
      throw usage("--matrix needs --namespaces (or a --scenario)");
    }
    Set<String> implied = new LinkedHashSet<>();
    implied.add(clientNamespace());
    implied.add(namespaceOf(Hosts.qualify(host(), clientNamespace())));
    return new ArrayList<>(implied);
  }

  private static ResolvedPolicy resolve(MeshResources resources, Compatibility compat,
      StandardTopology topology, Map<String, WorkloadPolicy> authored) {
    List<Workload> workloads = new ArrayList<>();
    Set<String> unknown = new LinkedHashSet<>(authored.keySet());
    for (Workload workload : topology.workloads()) {
      String key = workload.namespace() + "/" + workload.name();
      unknown.remove(key);
      workloads.add(authored.containsKey(key)
          ? workload.withAuthoredPolicy(authored.get(key)) : workload);
    }
    if (!unknown.isEmpty()) {
      throw new CommandFailedException("--authored names no workload of the topology: "
          + unknown + "; known: " + workloads.stream()
              .map(w -> w.namespace() + "/" + w.name()).sorted().toList());
    }
    return PolicyResolver.resolve(topology.withServices(resources, compat), workloads);
  }

  /** What each --authored workload's classes declare. */
  private Map<String, WorkloadPolicy> authoredPolicies() {
    Map<String, WorkloadPolicy> policies = new LinkedHashMap<>();
    authored.forEach((workload, classes) -> {
      try {
        policies.put(workload, CompiledPolicyClasses.read(classes));
      } catch (IllegalArgumentException e) {
        throw new CommandFailedException("--authored " + workload + "=" + classes + ": "
            + e.getMessage(), e);
      }
    });
    return policies;
  }

  private Workload client(ResolvedPolicy policy) {
    String namespace = clientNamespace();
    String name = from.substring(from.indexOf('/') + 1);
    return policy.workloads().stream()
        .filter(w -> w.namespace().equals(namespace) && w.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new CommandFailedException("no workload " + from + "; known: "
            + policy.workloads().stream().map(w -> w.namespace() + "/" + w.name()).sorted()
                .toList()));
  }

  private String clientNamespace() {
    int slash = from.indexOf('/');
    if (slash <= 0 || slash == from.length() - 1) {
      throw usage("--from takes NAMESPACE/WORKLOAD, such as foo/sleep; got " + from);
    }
    return from.substring(0, slash);
  }

  private String host() {
    int colon = to.lastIndexOf(':');
    if (colon <= 0) {
      throw usage("--to takes HOST:PORT, such as httpbin.bar:8000; got " + to);
    }
    return to.substring(0, colon);
  }

  private int port() {
    try {
      return Integer.parseInt(to.substring(to.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      throw usage("--to takes HOST:PORT with a numeric port; got " + to);
    }
  }

  private static String namespaceOf(String fqdn) {
    String[] labels = fqdn.split("\\.");
    return labels.length > 1 ? labels[1] : "default";
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
