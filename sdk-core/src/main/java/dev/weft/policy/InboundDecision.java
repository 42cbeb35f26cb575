package dev.weft.policy;

import java.util.List;
import java.util.Objects;

/**
 * What an inbound port accepts, and why. The first reason is the one that decided; the others
 * are policies it overrode.
 *
 * @param mode STRICT, PERMISSIVE or DISABLE; never UNSET
 * @param because the deciding reason first
 */
public record InboundDecision(MtlsMode mode, List<Because> because) {

  public InboundDecision {
    Objects.requireNonNull(mode, "mode");
    if (mode == MtlsMode.UNSET) {
      throw new IllegalArgumentException("an effective mode is never UNSET");
    }
    because = List.copyOf(because);
    if (because.isEmpty()) {
      throw new IllegalArgumentException("a decision needs a reason");
    }
  }
}
