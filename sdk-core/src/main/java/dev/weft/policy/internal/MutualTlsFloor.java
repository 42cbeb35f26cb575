package dev.weft.policy.internal;

import dev.weft.policy.Because;
import dev.weft.policy.InboundDecision;
import dev.weft.policy.MtlsMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @RequireMutualTls}: a port whose mode is weaker than STRICT becomes STRICT, and the
 * reason that decided it says so. Applied by the resolver and, against a control plane that
 * does not know it, by the workload on what it receives; STRICT stays as it is, so applying it
 * twice changes nothing.
 */
public final class MutualTlsFloor {
  private MutualTlsFloor() {}

  /** {@code decision}, raised to STRICT by {@code origin} if it is weaker. */
  public static InboundDecision raise(InboundDecision decision, String origin) {
    if (decision.mode() == MtlsMode.STRICT) {
      return decision;
    }
    List<Because> because = new ArrayList<>();
    Because decider = decision.because().get(0);
    because.add(new Because(decider.resource(), raised(decider.reason(), origin)));
    because.addAll(decision.because().subList(1, decision.because().size()));
    return new InboundDecision(MtlsMode.STRICT, because);
  }

  /**
   * The reason that decided a weaker mode, with the floor that raised it: {@code
   * PeerAuthentication bar/httpbin: workload-level DISABLE, raised to STRICT by
   * @RequireMutualTls on com.example.App}.
   */
  public static String raised(String reason, String origin) {
    return reason + ", raised to STRICT by " + origin;
  }
}
