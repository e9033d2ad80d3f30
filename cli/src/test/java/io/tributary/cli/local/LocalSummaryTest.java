package io.tributary.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalSummaryTest {

  @Test
  void aFreshOrCleanlyResumedRunMustCommitExactlyWhatItProduced() {
    assertThat(LocalSummary.matches(false, 100, 100)).isTrue();
    assertThat(LocalSummary.matches(false, 99, 100)).as("shortfall").isFalse();
    assertThat(LocalSummary.matches(false, 101, 100)).as("more rows than produced: duplicates").isFalse();
  }

  @Test
  void aRunResumedAfterAKillMayAlsoCommitWhatTheKilledRunLeftButNoLessThanItProduced() {
    assertThat(LocalSummary.matches(true, 100, 100)).isTrue();
    assertThat(LocalSummary.matches(true, 130, 100)).as("plus the killed run's uncommitted rows").isTrue();
    assertThat(LocalSummary.matches(true, 99, 100)).as("shortfall").isFalse();
  }
}
