package dev.weft.controlplane.cli;

/** A command could not do what was asked; its message is the one line the user sees. */
public final class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, which says what went wrong and what to do. */
  public CommandFailedException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public CommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
