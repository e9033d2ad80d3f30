package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardIdAssignerTest {
  @Test
  void spreadsConsecutiveShardsRoundRobin() {
    assertThat(ShardIdAssigner.subtaskOf("shardId-000000000000", 2)).isZero();
    assertThat(ShardIdAssigner.subtaskOf("shardId-000000000001", 2)).isEqualTo(1);
    assertThat(ShardIdAssigner.subtaskOf("shardId-000000000002", 2)).isZero();
    assertThat(ShardIdAssigner.subtaskOf("shardId-000000000003", 2)).isEqualTo(1);
    assertThat(ShardIdAssigner.subtaskOf("shardId-000000000007", 4)).isEqualTo(3);
  }

  @Test
  void unusualIdsStillGetAValidSubtask() {
    assertThat(ShardIdAssigner.subtaskOf("no-digits", 3)).isBetween(0, 2);
    assertThat(ShardIdAssigner.subtaskOf("shardId-99999999999999999999999", 5)).isBetween(0, 4);
  }
}
