package dev.weft.controlplane.auth;

/** A token did not verify; the message says why and never repeats the token. */
public final class InvalidTokenException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidTokenException(String message) {
    super(message);
  }
}
