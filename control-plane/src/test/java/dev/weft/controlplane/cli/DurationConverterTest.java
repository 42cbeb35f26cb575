package dev.weft.controlplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final DurationConverter converter = new DurationConverter();

  @ParameterizedTest
  @CsvSource({
      "90s, PT1M30S",
      "30m, PT30M",
      "1h, PT1H",
      "24h, PT24H",
      "1h30m, PT1H30M",
      "1d12h, PT36H",
      "90d, PT2160H",
      "PT1H, PT1H",
      "P1D, PT24H",
      "pt15m, PT15M"})
  void readsGoStyleAndIsoDurations(String text, String expected) {
    assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "h", "1hour", "1.5h", "1h 30m", "1y", "PT", "PT1X",
      "99999999999999999999d"})
  void rejectsTextThatIsNotADuration(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is not a duration; write it like 90s, 30m, 1h30m, 24h, 90d "
            + "or PT1H");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0h0m", "-1h", "PT0S", "-PT1H", "PT-1H"})
  void rejectsDurationsThatAreNotPositive(String text) {
    assertThatThrownBy(() -> converter.convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is not a positive duration");
  }
}
