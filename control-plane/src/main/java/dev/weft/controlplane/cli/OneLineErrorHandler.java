package dev.weft.controlplane.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports a command's failure as one line on stderr, {@code <command>: <message>}, with the
 * stack trace only under {@code --verbose}; the exit code is 1. Checked exceptions and
 * {@link CommandFailedException} carry messages meant for the user; other runtime exceptions
 * get a hint to rerun with {@code --verbose}.
 */
public final class OneLineErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    err.println(command.getCommandSpec().qualifiedName() + ": " + message);
    if (verbose(parseResult)) {
      e.printStackTrace(err);
    } else if (e instanceof RuntimeException && !(e instanceof CommandFailedException)) {
      // Not a failure the command reports on purpose, so likely a bug: point at the details.
      err.println("(run with " + VerboseOption.NAME + " for the stack trace)");
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnExecutionException();
  }

  private static boolean verbose(ParseResult parseResult) {
    for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
      if (level.hasMatchedOption(VerboseOption.NAME)) {
        return true;
      }
    }
    return false;
  }
}
