package io.tributary.eventsjob;

/** Where copies of an {@code event_id} must arrive for the events job to deduplicate them ({@code events.dedup-scope}). */
public enum DedupScope {
  /**
   * Anywhere in the stream: records go through a keyBy on their event id (an exchange between
   * tasks) to the subtask that remembers the id.
   */
  STREAM,
  /**
   * On the same shard, which is where a re-send with the same partition key arrives (the AWS SDKs'
   * and the KPL's retries reuse it): deduplicated in the source's own task, without an exchange,
   * at a fraction of the CPU. Copies that arrive on different shards (re-sent with another
   * partition key, or across a reshard of the key's hash range) are all written.
   */
  SHARD
}
