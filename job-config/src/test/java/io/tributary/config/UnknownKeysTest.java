package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {
  private final UnknownKeys keys = new UnknownKeys(
      List.of("postgres.host", "postgres.port", "cdc.tables", "parallelism", "checkpoint.interval"),
      List.of("postgres.", "cdc.", "checkpoint."), List.of("sink.", "debezium."));

  @Test
  void aTypoIsRejectedWithTheNearestKey() {
    assertThat(keys.problems(List.of("postgres.hots", "cdc.tables"), "CdcJobOptions")).containsExactly(
        "unknown option postgres.hots (did you mean postgres.host?); the options are listed in CdcJobOptions");
    assertThat(keys.problems(List.of("paralelism"), "X")).containsExactly(
        "unknown option paralelism (did you mean parallelism?); the options are listed in X");
  }

  @Test
  void aKeyFarFromEveryOptionGetsNoSuggestion() {
    assertThat(keys.problems(List.of("cdc.something-else-entirely"), "X"))
        .containsExactly("unknown option cdc.something-else-entirely; the options are listed in X");
  }

  @Test
  void passThroughAndForeignKeysAreLeftAlone() {
    assertThat(keys.problems(
        List.of("sink.parquet.compression", "debezium.snapshot.mode", "kinesis.stream", "flink.whatever"), "X")).isEmpty();
  }

  @Test
  void bareKeysAreOwnedOnlyWhenTheJobHasBareKeys() {
    UnknownKeys noBare = new UnknownKeys(List.of("kinesis.stream"), List.of("kinesis."), List.of());
    assertThat(noBare.problems(List.of("paralelism"), "X")).isEmpty();
    assertThat(noBare.problems(List.of("kinesis.straem"), "X")).hasSize(1);
  }

  @Test
  void secretKeysCarryEverySuffixSecretsReads() {
    assertThat(Secrets.keysRead("postgres.password")).containsExactly("postgres.password",
        "postgres.password.env", "postgres.password.secret-id", "postgres.password.secret-region",
        "postgres.password.secret-field");
  }

  @Test
  void editDistance() {
    assertThat(UnknownKeys.distance("kinesis.regoin", "kinesis.region")).isEqualTo(2);
    assertThat(UnknownKeys.distance("", "abc")).isEqualTo(3);
    assertThat(UnknownKeys.distance("same", "same")).isZero();
  }
}
