package dev.weft.controlplane.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses a positive duration written as Go and Istio write them ({@code 90s}, {@code 30m},
 * {@code 1h30m}, {@code 24h}, plus {@code d} for days, as in {@code 90d}) or in ISO-8601
 * ({@code PT1H}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern ISO_8601 = Pattern.compile("[-+]?[pP].*");
  private static final Pattern GO_STYLE = Pattern.compile("([-+]?)((?:\\d+[dhms])+)");
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

  @Override
  public Duration convert(String value) {
    Duration duration;
    try {
      duration = parse(value.trim());
    } catch (ArithmeticException | DateTimeParseException | NumberFormatException e) {
      duration = null;
    }
    if (duration == null) {
      throw new TypeConversionException("'" + value + "' is not a duration; write it like 90s, "
          + "30m, 1h30m, 24h, 90d or PT1H");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new TypeConversionException("'" + value + "' is not a positive duration");
    }
    return duration;
  }

  private static Duration parse(String value) {
    if (ISO_8601.matcher(value).matches()) {
      return Duration.parse(value);
    }
    Matcher goStyle = GO_STYLE.matcher(value);
    if (!goStyle.matches()) {
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(goStyle.group(2));
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      Duration unit = switch (part.group(2)) {
        case "d" -> Duration.ofDays(1);
        case "h" -> Duration.ofHours(1);
        case "m" -> Duration.ofMinutes(1);
        default -> Duration.ofSeconds(1);
      };
      total = total.plus(unit.multipliedBy(amount));
    }
    return goStyle.group(1).equals("-") ? total.negated() : total;
  }
}
