package dev.weft.cert.internal;

import java.time.Duration;

/** Durations as people write them in Istio and Weft configuration: {@code 90d}, {@code 1h30m}, {@code 500ms}. */
public final class Durations {
  private Durations() {}

  /** Formats {@code d} with the largest units that fit exactly, such as {@code 2h30m} or {@code 1s200ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    StringBuilder out = new StringBuilder();
    append(out, d.toDaysPart(), "d");
    append(out, d.toHoursPart(), "h");
    append(out, d.toMinutesPart(), "m");
    append(out, d.toSecondsPart(), "s");
    append(out, d.toMillisPart(), "ms");
    return out.length() == 0 ? d.toNanos() + "ns" : out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }
}
