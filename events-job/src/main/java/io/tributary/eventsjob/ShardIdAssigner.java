package io.tributary.eventsjob;

import org.apache.flink.streaming.connectors.kinesis.KinesisShardAssigner;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardHandle;

/**
 * Spreads shards evenly over the source subtasks by the number in their id. Kinesis numbers the
 * shards of a stream consecutively, including the children created by resharding, so open shards
 * are spread round-robin; the connector's default (a hash of the shard) can leave a subtask idle
 * while another reads two shards. Deterministic: every subtask computes the same assignment.
 *
 * <ul>
 *   <li>{@link #roundRobin()} (dedup by stream, or none): {@code shardId-000000000005} goes to
 *       subtask {@code 5 % parallelism}.
 *   <li>{@link #alignedWithShardKeys()} (dedup by shard, {@link DedupScope#SHARD}): a shard goes to
 *       the subtask that owns its {@link ShardKeys key group}, so the per-shard dedup chained to
 *       the source finds the shard's ids in its own key groups, also after rescaling. Spread as
 *       evenly as round-robin for parallelisms that are powers of two, nearly as evenly otherwise.
 * </ul>
 */
public final class ShardIdAssigner implements KinesisShardAssigner {
  private static final long serialVersionUID = 2L;

  private final boolean alignedWithShardKeys;

  private ShardIdAssigner(boolean alignedWithShardKeys) {
    this.alignedWithShardKeys = alignedWithShardKeys;
  }

  public static ShardIdAssigner roundRobin() {
    return new ShardIdAssigner(false);
  }

  public static ShardIdAssigner alignedWithShardKeys() {
    return new ShardIdAssigner(true);
  }

  @Override
  public int assign(StreamShardHandle shard, int numParallelSubtasks) {
    String shardId = shard.getShard().getShardId();
    return alignedWithShardKeys
        ? ShardKeys.subtaskOf(shardId, numParallelSubtasks) : subtaskOf(shardId, numParallelSubtasks);
  }

  static int subtaskOf(String shardId, int numParallelSubtasks) {
    return (int) (ShardKeys.shardNumber(shardId) % numParallelSubtasks);
  }
}
