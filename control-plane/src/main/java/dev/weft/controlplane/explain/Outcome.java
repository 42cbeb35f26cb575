package dev.weft.controlplane.explain;

import java.util.Objects;


/**
 * What a client sees for one request: a response over mTLS or plaintext, a 503 its own mesh
 * proxy reports, or a connection reset that a client without a mesh sees as curl's 000.
 *
 * @param status {@code 200}, {@code 503} or {@code 000}
 * @param mtls whether the request went over mesh mTLS
 * @param reason why, in a sentence
 */
public record Outcome(String status, boolean mtls, String reason) {

  public Outcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  static Outcome mtls(String reason) {
    return new Outcome("200", true, reason);
  }

  static Outcome plaintext(String reason) {
    return new Outcome("200", false, reason);
  }

  static Outcome clientError(String reason) {
    return new Outcome("503", false, reason);
  }

  static Outcome reset(String reason) {
    return new Outcome("000", false, reason);
  }

  /** Whether a response arrived. */
  public boolean succeeded() {
    return status.equals("200");
  }

  /** {@code <status>: <reason>}. */
  @Override
  public String toString() {
    return status + ": " + reason;
  }

}
