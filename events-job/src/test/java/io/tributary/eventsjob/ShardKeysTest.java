package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/**
 * The per-shard dedup's contract with the source: the subtask that reads a shard owns the key
 * group Flink computes for the shard's key, at every parallelism, so a shard's ids are where its
 * records arrive, before and after rescaling.
 */
class ShardKeysTest {

  private static String shard(long n) {
    return String.format(Locale.ROOT, "shardId-%012d", n);
  }

  @Test
  void theSubtaskThatReadsAShardOwnsTheKeyGroupOfItsKey() {
    ShardKeys.Selector selector = new ShardKeys.Selector();
    for (int parallelism = 1; parallelism <= ShardKeys.KEY_GROUPS; parallelism = parallelism < 8 ? parallelism + 1 : parallelism * 2) {
      for (long n = 0; n < 300; n++) {
        for (String id : new String[] {shard(n), "custom-shard-" + n + "x"}) {
          int reader = ShardKeys.subtaskOf(id, parallelism);
          Integer key = selector.getKey(new IdentifiedRecord(EventIdKey.forNonEvent("1"),
              new KinesisRecord(new byte[0], "s", id, "1", 0)));
          int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, ShardKeys.KEY_GROUPS);
          KeyGroupRange owned =
              KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(ShardKeys.KEY_GROUPS, parallelism, reader);
          assertThat(owned.contains(keyGroup)).as("%s at parallelism %d", id, parallelism).isTrue();
        }
      }
    }
  }

  @Test
  void aShardsKeyGroupDoesNotDependOnTheParallelism() {
    for (long n = 0; n < 300; n++) {
      int keyGroup = ShardKeys.keyGroupOf(shard(n));
      assertThat(KeyGroupRangeAssignment.assignToKeyGroup(ShardKeys.keyFor(keyGroup), ShardKeys.KEY_GROUPS))
          .isEqualTo(keyGroup);
    }
  }

  @Test
  void consecutiveShardsAreSpreadEvenly() {
    for (int parallelism : new int[] {2, 4, 8}) {
      Map<Integer, Integer> shardsPerSubtask = new HashMap<>();
      for (long n = 0; n < 4L * parallelism; n++) {
        shardsPerSubtask.merge(ShardKeys.subtaskOf(shard(n), parallelism), 1, Integer::sum);
      }
      assertThat(shardsPerSubtask).as("parallelism %d", parallelism).hasSize(parallelism)
          .allSatisfy((subtask, shards) -> assertThat(shards).isEqualTo(4));
    }
    // Not a power of two: every subtask still reads some of 12 shards.
    Map<Integer, Integer> three = new HashMap<>();
    for (long n = 0; n < 12; n++) {
      three.merge(ShardKeys.subtaskOf(shard(n), 3), 1, Integer::sum);
    }
    assertThat(three).hasSize(3).allSatisfy((subtask, shards) -> assertThat(shards).isBetween(3, 5));
  }
}
