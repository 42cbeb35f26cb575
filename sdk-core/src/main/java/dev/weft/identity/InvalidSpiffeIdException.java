package dev.weft.identity;

/** Thrown when a string is not a valid SPIFFE ID or trust domain name; the message says which and why. */
public final class InvalidSpiffeIdException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  InvalidSpiffeIdException(String input, String reason) {
    this("SPIFFE ID", input, reason);
  }

  InvalidSpiffeIdException(String what, String input, String reason) {
    super("Invalid " + what + " \"" + abbreviate(input) + "\": " + reason);
  }

  private static String abbreviate(String input) {
    return input.length() <= 120 ? input : input.substring(0, 117) + "...";
  }
}
