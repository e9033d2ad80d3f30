package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ParsingTest {

  @Test
  void rates() {
    assertThat(Rate.parse("5/s").perSecond()).isEqualTo(5.0);
    assertThat(Rate.parse("50/s").perSecond()).isEqualTo(50.0);
    assertThat(Rate.parse("300/min").perSecond()).isEqualTo(5.0);
    assertThat(Rate.parse("3600/h").perSecond()).isEqualTo(1.0);
    assertThat(Rate.parse("2.5/s").perSecond()).isEqualTo(2.5);
    assertThat(Rate.parse("7").perSecond()).isEqualTo(7.0);
    assertThat(Rate.parse(" 10 / sec ").perSecond()).isEqualTo(10.0);
    assertThat(Rate.parse("max").isUnlimited()).isTrue();
    assertThat(Rate.parse("300/min")).hasToString("300/min");
    for (String bad : new String[] {"", "abc", "5/d", "-1/s", "0/s", "5/s/s", "1e3/s"}) {
      assertThatThrownBy(() -> Rate.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rate");
    }
  }

  @Test
  void durations() {
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("90 min")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("30")).as("the jobs' syntax: a bare number is milliseconds").isEqualTo(Duration.ofMillis(30));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    for (String bad : new String[] {"", "s", "1h30m", "1.5h", "-3s", "10mx"}) {
      assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a duration");
    }
    assertThat(Durations.format(Duration.ofMillis(350))).isEqualTo("350ms");
    assertThat(Durations.format(Duration.ofMillis(4200))).isEqualTo("4.2s");
    assertThat(Durations.format(Duration.ofSeconds(3723))).isEqualTo("1h02m03s");
  }

  @Test
  void mixes() {
    OrderMix mix = OrderMix.parse("60,30,10");
    assertThat(mix.insertShare()).isCloseTo(0.6, within(1e-9));
    assertThat(mix.updateShare()).isCloseTo(0.3, within(1e-9));
    assertThat(mix.deleteShare()).isCloseTo(0.1, within(1e-9));
    assertThat(OrderMix.parse("2:1:1").insertShare()).isCloseTo(0.5, within(1e-9));
    assertThat(OrderMix.parse("1/0/0").updateShare()).isZero();
    for (String bad : new String[] {"60,40", "a,b,c", "0,50,50", "-1,1,1", "0,0,0"}) {
      assertThatThrownBy(() -> OrderMix.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mix");
    }
  }

  @Test
  void backoffGrowsExponentiallyWithJitterUpToTheCap() {
    Backoff backoff = new Backoff.Policy(Duration.ofMillis(100), Duration.ofSeconds(2)).start(1);
    for (int i = 0; i < 50; i++) {
      assertThat(backoff.delay(1).toMillis()).isBetween(50L, 100L);
      assertThat(backoff.delay(3).toMillis()).isBetween(200L, 400L);
      assertThat(backoff.delay(10).toMillis()).isBetween(1000L, 2000L);
      assertThat(backoff.delay(100).toMillis()).isBetween(1000L, 2000L);
    }
  }

  @Test
  void bothConfigsRejectABackoffWhoseCapIsBelowItsStart() {
    assertThatThrownBy(() -> OrdersConfig.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    assertThatThrownBy(() -> EventsConfig.builder().backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    Backoff fromPolicy = Backoff.Policy.DEFAULT.start(1);
    assertThat(fromPolicy.delay(1).toMillis()).isBetween(50L, 100L);
    assertThat(fromPolicy.delay(20).toMillis()).isBetween(2500L, 5000L);
  }

  @Test
  void pacerHoldsTheRate() {
    Pacer pacer = new Pacer(Rate.perSecond(200));
    long start = System.nanoTime();
    for (int i = 0; i < 60; i++) {
      assertThat(pacer.acquire(1, () -> false)).isTrue();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // 60 units at 200/s take about 0.3 s (the first is free).
    assertThat(seconds).isBetween(0.25, 1.5);
    assertThat(pacer.acquire(1, () -> true)).isFalse();
  }

  @Test
  void configsValidate() {
    assertThatThrownBy(() -> OrdersConfig.builder().jdbcUrl("jdbc:mysql://x/y").build())
        .hasMessageContaining("jdbc:postgresql:");
    assertThatThrownBy(() -> OrdersConfig.builder().jdbcUrl("jdbc:postgresql://x/y").table("drop table;").build())
        .hasMessageContaining("not a valid table name");
    assertThatThrownBy(() -> OrdersConfig.builder().jdbcUrl("jdbc:postgresql://x/y").transactionSize(0).build())
        .hasMessageContaining("transaction size");
    assertThat(OrdersConfig.builder().jdbcUrl("jdbc:postgresql://x/y?password=hunter2").password("hunter2").build()
        .toString()).doesNotContain("hunter2");
    assertThatThrownBy(() -> EventsConfig.builder().stream("s").malformedRate(1.5).build())
        .hasMessageContaining("malformed rate");
    assertThatThrownBy(() -> EventsConfig.builder().stream("s").batchRecords(501).build())
        .hasMessageContaining("batch size");
    assertThatThrownBy(() -> EventsConfig.builder().stream("bad name").build())
        .hasMessageContaining("stream name");
  }
}
