package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunLimitsTest {

  @Test
  void countAndDurationBoundARun() {
    RunLimits limits = RunLimits.of(100, Duration.ofSeconds(90));
    assertThat(limits.remaining(0)).isEqualTo(100);
    assertThat(limits.remaining(99)).isEqualTo(1);
    assertThat(limits.remaining(150)).isZero();
    assertThat(limits.deadlineNanos(1_000)).isEqualTo(1_000 + 90_000_000_000L);
    assertThat(limits).hasToString("count 100, duration 1m30s");
  }

  @Test
  void noLimitsRunUntilStopped() {
    RunLimits limits = RunLimits.of(0, null);
    assertThat(limits).isSameAs(RunLimits.UNLIMITED).hasToString("until stopped");
    assertThat(limits.remaining(Long.MAX_VALUE - 1)).isEqualTo(Long.MAX_VALUE);
    assertThat(limits.deadlineNanos(5)).isEqualTo(Long.MAX_VALUE);
    assertThat(RunLimits.of(7, null)).hasToString("count 7");
  }

  @Test
  void badLimitsAreRejectedByName() {
    assertThatThrownBy(() -> RunLimits.of(-1, null)).hasMessageContaining("count must be >= 0");
    assertThatThrownBy(() -> RunLimits.of(0, Duration.ZERO)).hasMessageContaining("duration must be positive");
    assertThatThrownBy(() -> OrdersConfig.builder().jdbcUrl("jdbc:postgresql://x/y").count(-5).build())
        .hasMessageContaining("count must be >= 0");
    assertThatThrownBy(() -> EventsConfig.builder().stream("s").duration(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("duration must be positive");
  }
}
