package dev.weft.controlplane.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Builds a picocli command line that reports errors the way every weft command does. */
public final class WeftCommandLine {
  private WeftCommandLine() {}

  /**
   * A command line for {@code command}: exit code 0 on success, 1 when the command fails (one
   * line on stderr), 2 on a usage error.
   */
  public static CommandLine create(Object command) {
    return new CommandLine(command)
        .setExecutionExceptionHandler(new OneLineErrorHandler())
        .setParameterExceptionHandler(new ShortUsageErrorHandler());
  }

  /** The usage error of a command that does nothing itself when run without a subcommand. */
  public static ParameterException missingSubcommand(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    spec.subcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        names.add(name);
      }
    });
    return new ParameterException(spec.commandLine(),
        "Missing required subcommand: one of " + String.join(", ", names));
  }
}
