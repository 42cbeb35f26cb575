package dev.weft.samples.cli;

import dev.weft.config.ConfigLoadResult;
import dev.weft.controlplane.cli.CommandFailedException;
import dev.weft.controlplane.cli.TopologyOptions;
import dev.weft.controlplane.explain.StandardTopology;
import dev.weft.policy.Compatibility;
import dev.weft.samples.topology.Protocol;
import dev.weft.samples.topology.RunningTopology;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code matrix}: run the standard topology for real and print what every client saw. */
@Command(
    name = "matrix",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run the standard topology in this process with the embedded control plane: in every"
            + " namespace httpbin (container port 80) behind Service httpbin (port 8000), and"
            + " sleep; Weft in the --mesh namespaces, no Weft code in the others. Once every"
            + " mesh workload has acknowledged the configuration, each sleep calls each httpbin.",
        "Prints one line per pair, 'sleep.<from> to httpbin.<to>: <result>', and nothing else on"
            + " stdout: the HTTP status, 503 when a mesh client got no response, 000 when a plain"
            + " client's connection failed; with --show identity, the caller identity httpbin saw."
            + " With --protocol grpc, the same over gRPC; with --protocol micronaut, httpbin and"
            + " sleep are Micronaut applications.",
        "Examples:",
        "  weft matrix --namespaces foo,bar,legacy --mesh foo,bar",
        "  weft matrix --config policies/ --namespaces foo,bar,legacy --mesh foo,bar --compat 1.9",
        "  weft matrix --scenario 04-strict-vs-dr-disable --show identity",
        "  weft matrix --scenario 03-workload-strict --protocol grpc"})
public final class MatrixCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;
  @Mixin private TopologyOptions options;

  @Option(names = "--protocol", paramLabel = "http|grpc|micronaut", defaultValue = "http",
      converter = ProtocolConverter.class,
      description = "What the workloads speak (default: ${DEFAULT-VALUE}). With grpc, the greeter"
          + " (grpc-java) serves as httpbin and its client calls as sleep: 200 is a call that"
          + " succeeded. With micronaut, a Micronaut controller serves as httpbin and a Micronaut"
          + " HttpClient calls as sleep.")
  private Protocol protocol;

  @Option(names = "--verbose", description = "Log what every workload does, on stderr.")
  private boolean verbose;

  @Override
  public Integer call() throws Exception {
    ConfigLoadResult loaded = options.load();
    PrintWriter err = spec.commandLine().getErr();
    loaded.warnings().forEach(problem -> err.println("warning: " + problem));
    if (loaded.hasErrors()) {
      loaded.errors().forEach(problem -> err.println("error: " + problem));
      throw new CommandFailedException("the configuration has errors, so the matrix was not run");
    }
    Compatibility compatibility = options.compatibility(loaded.resources());
    StandardTopology topology = options.topology(() -> {
      throw new ParameterException(spec.commandLine(),
          "say which namespaces: --namespaces NS,... (or a --scenario)");
    });
    CommandLogging.quiet(verbose);
    List<String> lines;
    try (RunningTopology running = RunningTopology.start(topology, protocol,
        loaded.resources(), compatibility, line -> err.println(line))) {
      err.println("every mesh workload acknowledged the configuration; calling");
      lines = running.matrix(options.show());
    }
    PrintWriter out = spec.commandLine().getOut();
    lines.forEach(out::println);
    out.flush();
    return 0;
  }
}
