package dev.weft.cert.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void usesTheLargestUnitsThatFitExactly() {
    assertThat(Durations.format(Duration.ofDays(90))).isEqualTo("90d");
    assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofMillis(1200))).isEqualTo("1s200ms");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofNanos(5))).isEqualTo("5ns");
  }

  @Test
  void formatsZeroAndNegatives() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofSeconds(-3))).isEqualTo("-3s");
  }
}
