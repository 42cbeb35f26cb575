package dev.weft.controlplane.explain;

import dev.weft.policy.Because;
import dev.weft.policy.EndpointRoute;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.OutboundDecision;
import dev.weft.policy.TlsMode;
import java.util.ArrayList;
import java.util.List;

/** Renders predictions as the lines {@code weft explain} prints, naming every deciding resource. */
public final class ExplanationText {
  private ExplanationText() {}

  /** The lines for one request, one block per endpoint. */
  public static List<String> lines(List<Prediction> predictions) {
    List<String> lines = new ArrayList<>();
    for (Prediction p : predictions) {
      lines.add(p.client() + " -> " + p.service().host() + ":" + p.port().port());
      if (p.endpoint().isEmpty()) {
        lines.add("  the Service has no endpoint for this port");
      } else {
        lines.addAll(server(p, p.endpoint().get()));
        lines.addAll(client(p));
      }
      lines.add("  => " + p.outcome());
    }
    return lines;
  }

  private static List<String> server(Prediction p, EndpointRoute endpoint) {
    String where = "server " + endpoint.workload() + ":" + endpoint.targetPort()
        + " (Service port " + p.port().port() + ")";
    if (p.accepts().isEmpty()) {
      return List.of("  " + where + " does not run Weft: it accepts plaintext and enforces"
          + " nothing");
    }
    InboundDecision accepts = p.accepts().get();
    return decided("  " + where + " accepts " + accepts.mode(), accepts.because());
  }

  private static List<String> client(Prediction p) {
    if (p.sends().isEmpty()) {
      return List.of("  client " + p.client() + " does not run Weft: it sends plaintext");
    }
    OutboundDecision sends = p.sends().get();
    return decided("  client " + p.client() + " sends " + describe(sends.mode()), sends.because());
  }

  private static List<String> decided(String head, List<Because> because) {
    List<String> lines = new ArrayList<>();
    lines.add(head + " -- " + because.get(0));
    for (Because other : because.subList(1, because.size())) {
      lines.add("      also " + other);
    }
    return lines;
  }

  private static String describe(TlsMode mode) {
    switch (mode) {
      case DISABLE:
        return "plaintext";
      case ISTIO_MUTUAL:
        return "mTLS";
      default:
        return mode + " TLS";
    }
  }
}
