package dev.weft.samples.cli;

import dev.weft.controlplane.cli.CaCommand;
import dev.weft.controlplane.cli.ControlPlaneCommand;
import dev.weft.controlplane.cli.ExplainCommand;
import dev.weft.controlplane.cli.StatusCommand;
import dev.weft.controlplane.cli.WeftCommandLine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code weft} command line; a new command is one more class in {@code subcommands}. */
@Command(
    name = "weft",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    versionProvider = WeftVersion.class,
    description = "Weft, an embedded service mesh for the JVM.",
    footer = {"", "  bench [--quick]  Weft against the plain stacks, side by side (./weft only)"},
    subcommands = {
        DemoCommand.class,
        ExplainCommand.class,
        MatrixCommand.class,
        HttpbinCommand.class,
        GreeterCommand.class,
        SleepCommand.class,
        ControlPlaneCommand.class,
        StatusCommand.class,
        CaCommand.class,
        HelpCommand.class})
public final class WeftCli implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** Runs the command line and exits with its code: 0 ok, 1 failure, 2 usage error. */
  public static void main(String[] args) {
    System.exit(WeftCommandLine.create(new WeftCli()).execute(args));
  }

  @Override
  public Integer call() {
    throw WeftCommandLine.missingSubcommand(spec);
  }
}
