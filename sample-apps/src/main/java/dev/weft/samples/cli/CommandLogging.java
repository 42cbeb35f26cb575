package dev.weft.samples.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** How much the workloads a command runs in-process may log. */
final class CommandLogging {
  private CommandLogging() {}

  /**
   * Unless {@code verbose}, only errors: requests the policy refuses are what a matrix and the
   * demo are about, and each refusal would otherwise be logged by both sides.
   */
  static void quiet(boolean verbose) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(verbose ? Level.INFO : Level.ERROR);
  }
}
