package dev.weft.controlplane.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} option: errors show their stack trace, not just one line. */
public final class VerboseOption {
  static final String NAME = "--verbose";

  @Option(names = NAME, description = "On error, print the stack trace too.")
  boolean verbose;
}
