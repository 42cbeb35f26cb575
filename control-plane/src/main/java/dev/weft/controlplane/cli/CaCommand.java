package dev.weft.controlplane.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ca}: a root CA kept in files, and workload certificates issued from it. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = {
        "Create a root CA and issue workload certificates from it.",
        "Both are kept in files laid out as Istio lays them out."},
    subcommands = {CaInitCommand.class, CaIssueCommand.class})
public final class CaCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw WeftCommandLine.missingSubcommand(spec);
  }
}
