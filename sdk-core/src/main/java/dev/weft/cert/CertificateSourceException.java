package dev.weft.cert;

import java.io.IOException;

/**
 * A certificate source could not produce a usable credential. The message names the source
 * (a file, a CA address) and what was wrong.
 */
public class CertificateSourceException extends IOException {
  private static final long serialVersionUID = 1L;

  public CertificateSourceException(String message) {
    super(message);
  }

  public CertificateSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
