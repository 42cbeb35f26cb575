package dev.weft.controlplane.explain;

import dev.weft.policy.ResolvedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Predicts the request matrix of the standard topology: every sleep calling every httpbin, in
 * the exact lines {@code weft matrix} prints, so a prediction and a real run can be diffed.
 */
public final class MatrixPredictor {
  /** What each line shows. */
  public enum Show {
    /** The HTTP status, or 503 / 000 when no response arrived. */
    STATUS,
    /** The caller identity httpbin saw, {@code plaintext}, or the failure status. */
    IDENTITY
  }

  private final StandardTopology topology;
  private final RequestPredictor predictor;
  private final ResolvedPolicy policy;

  public MatrixPredictor(StandardTopology topology, ResolvedPolicy policy) {
    this.topology = Objects.requireNonNull(topology, "topology");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.predictor = new RequestPredictor(policy);
  }

  /** {@code sleep.<from> to httpbin.<to>: <result>}, for every pair, in namespace order. */
  public List<String> lines(Show show) {
    List<String> lines = new ArrayList<>();
    for (String from : topology.namespaces()) {
      for (String to : topology.namespaces()) {
        Prediction prediction = predictor.predict(topology.sleep(from),
            "httpbin." + to, StandardTopology.SERVICE_PORT).get(0);
        lines.add("sleep." + from + " to httpbin." + to + ": " + result(prediction, show));
      }
    }
    return lines;
  }

  private String result(Prediction prediction, Show show) {
    Outcome outcome = prediction.outcome();
    if (show == Show.STATUS || !outcome.succeeded()) {
      return outcome.status();
    }
    if (!outcome.mtls()) {
      return "plaintext";
    }
    return prediction.client().spiffeId(policy.meshConfig().trustDomain()).toString();
  }
}
