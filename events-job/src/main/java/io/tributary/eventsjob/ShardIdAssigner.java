package io.tributary.eventsjob;

import org.apache.flink.streaming.connectors.kinesis.KinesisShardAssigner;
import org.apache.flink.streaming.connectors.kinesis.model.StreamShardHandle;

/**
 * Spreads shards evenly over the source subtasks by the number in their id ({@code
 * shardId-000000000005} goes to subtask {@code 5 % parallelism}). Kinesis numbers the shards of a
 * stream consecutively, including the children created by resharding, so open shards are spread
 * round-robin; the connector's default (a hash of the shard) can leave a subtask idle while
 * another reads two shards. Deterministic: every subtask computes the same assignment.
 */
public final class ShardIdAssigner implements KinesisShardAssigner {
  private static final long serialVersionUID = 1L;

  @Override
  public int assign(StreamShardHandle shard, int numParallelSubtasks) {
    return subtaskOf(shard.getShard().getShardId(), numParallelSubtasks);
  }

  static int subtaskOf(String shardId, int numParallelSubtasks) {
    int end = shardId.length();
    int start = end;
    while (start > 0 && end - start < 18 && Character.isDigit(shardId.charAt(start - 1))) {
      start--;
    }
    long number = start < end ? Long.parseLong(shardId.substring(start, end)) : shardId.hashCode() & 0x7fffffffL;
    return (int) (number % numParallelSubtasks);
  }
}
