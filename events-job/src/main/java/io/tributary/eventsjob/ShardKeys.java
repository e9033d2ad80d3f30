package io.tributary.eventsjob;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Keys of the per-shard dedup ({@link DedupScope#SHARD}): the records of a shard are keyed by an
 * {@code Integer} whose Flink key group is the shard's, {@link #keyGroupOf}. The key groups are
 * fixed ({@value #KEY_GROUPS}, the dedup operator's max parallelism) and a shard's group does not
 * depend on the parallelism, so a shard's remembered ids move with it when the job is rescaled:
 * {@link ShardIdAssigner#alignedWithShardKeys()} gives the shard to the subtask owning that group.
 *
 * <p>Consecutive shard numbers get key groups spread by bit reversal (0, 64, 32, 96, 16, ...), so
 * the key-group ranges of any power-of-two parallelism receive them round-robin.
 */
public final class ShardKeys {
  /** Max parallelism of the per-shard dedup: its number of key groups. A power of two. */
  public static final int KEY_GROUPS = 128;
  private static final int BITS = Integer.numberOfTrailingZeros(KEY_GROUPS);

  private ShardKeys() {}

  /** The subtask whose key groups hold the shard's key group (where the source must read the shard). */
  public static int subtaskOf(String shardId, int parallelism) {
    return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(KEY_GROUPS, parallelism, keyGroupOf(shardId));
  }

  /** The number at the end of a shard id ({@code shardId-000000000005}: 5), or a hash of an id without one. */
  static long shardNumber(String shardId) {
    int end = shardId.length();
    int start = end;
    while (start > 0 && end - start < 18 && Character.isDigit(shardId.charAt(start - 1))) {
      start--;
    }
    return start < end ? Long.parseLong(shardId.substring(start, end)) : shardId.hashCode() & 0x7fffffffL;
  }

  /** The key group of a shard: its number's low bits, reversed. */
  static int keyGroupOf(String shardId) {
    int low = (int) (shardNumber(shardId) & (KEY_GROUPS - 1));
    return Integer.reverse(low) >>> (Integer.SIZE - BITS);
  }

  /** The smallest non-negative {@code Integer} key that Flink puts in {@code keyGroup}. */
  static int keyFor(int keyGroup) {
    for (int candidate = 0; ; candidate++) {
      if (KeyGroupRangeAssignment.assignToKeyGroup(candidate, KEY_GROUPS) == keyGroup) {
        return candidate;
      }
    }
  }

  /** Keys a record by its shard; remembers each shard's key (a stream has few shards). */
  public static final class Selector implements KeySelector<IdentifiedRecord, Integer> {
    private static final long serialVersionUID = 1L;
    private transient Map<String, Integer> keys;

    @Override
    public Integer getKey(IdentifiedRecord r) {
      if (keys == null) {
        keys = new HashMap<>();
      }
      return keys.computeIfAbsent(r.record().getShardId(), shard -> keyFor(keyGroupOf(shard)));
    }
  }
}
