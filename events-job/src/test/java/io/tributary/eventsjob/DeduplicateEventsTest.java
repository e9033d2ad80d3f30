package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEventJson;
import io.tributary.events.WebEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.junit.jupiter.api.Test;

/** The dedup operator on Flink's operator test harness: arrival-time window, fingerprints, state. */
@SuppressWarnings("try") // the harness's close() may throw InterruptedException
class DeduplicateEventsTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final long MIN = 60_000;

  private static final String TEMPLATE = new String(
      WebEventJson.toBytes(new SessionSimulator(1, Instant.parse("2026-11-20T12:00:00Z")).next()), StandardCharsets.UTF_8);
  private static final WebEventParser PARSER = new WebEventParser();

  private static KeyedOneInputStreamOperatorTestHarness<EventIdKey, IdentifiedRecord, RowData> harness(
      DeduplicateEvents op, int maxParallelism, int parallelism, int subtask) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        op, (KeySelector<IdentifiedRecord, EventIdKey>) IdentifiedRecord::key, EventIdKey.TypeInfo.INSTANCE,
        maxParallelism, parallelism, subtask);
    h.setup(new RowDataSerializer(AtomicEventsTable.ROW_TYPE)); // the job's row type, not Kryo
    return h;
  }

  private static KeyedOneInputStreamOperatorTestHarness<EventIdKey, IdentifiedRecord, RowData> harness() throws Exception {
    return harness(new DeduplicateEvents(WINDOW), 128, 1, 0);
  }

  private static String id(int i) {
    return new UUID(0x1234L, i).toString();
  }

  /** A valid event's JSON with this id and event type (the rest from one simulated event). */
  static byte[] payload(String id, String eventType) {
    return TEMPLATE
        .replaceFirst("\"event_id\":\"[^\"]*\"", "\"event_id\":\"" + id + "\"")
        .replaceFirst("\"event_type\":\"[^\"]*\"", "\"event_type\":\"" + eventType + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A Kinesis record of that event, arrived at {@code arrivalMillis}, keyed as the job keys it. */
  static StreamRecord<IdentifiedRecord> event(String id, String eventType, long arrivalMillis) {
    KinesisRecord r = new KinesisRecord(
        payload(id, eventType), "s", "shardId-000000000001", String.valueOf(arrivalMillis), arrivalMillis);
    return new StreamRecord<>(new IdentifiedRecord(IdentifyEvents.keyOf(r, PARSER, new SimpleCounter()), r));
  }

  private static List<String> output(KeyedOneInputStreamOperatorTestHarness<?, IdentifiedRecord, RowData> h) {
    return h.extractOutputValues().stream()
        .map(r -> r.getString(AtomicEventsTable.EVENT_ID) + "/" + r.getString(AtomicEventsTable.EVENT_TYPE))
        .collect(Collectors.toList());
  }

  private static List<RowData> quarantined(KeyedOneInputStreamOperatorTestHarness<?, IdentifiedRecord, RowData> h) {
    var side = h.getSideOutput(RouteEvents.QUARANTINE);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  @Test
  void anIdenticalReSendIsDroppedAConflictingOneQuarantinedWithItsPayload() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(event(id(10), "page_view", 0));
      h.processElement(event(id(10), "page_view", MIN)); // a retry: same bytes
      h.processElement(event(id(10), "purchase", 2 * MIN)); // another event reusing the id
      h.processElement(event(id(11), "click", 3 * MIN));
      assertThat(output(h)).containsExactly(id(10) + "/page_view", id(11) + "/click");
      assertThat(output(h).size() + quarantined(h).size()).isEqualTo(3);
      List<RowData> q = quarantined(h);
      assertThat(q).hasSize(1);
      RowData row = q.get(0);
      assertThat(row.getString(QuarantineTable.ERROR_REASON).toString()).isEqualTo(QuarantineTable.CONFLICTING_DUPLICATE);
      assertThat(row.getString(0).toString())
          .isEqualTo(new String(payload(id(10), "purchase"), StandardCharsets.UTF_8)); // raw_payload, as sent
      assertThat(row.getString(1).toString()).isEqualTo(QuarantineTable.ENCODING_UTF8);
      assertThat(row.getString(4).toString()).isEqualTo("event_id"); // error_field
      assertThat(row.getString(7).toString()).isEqualTo("shardId-000000000001");
      assertThat(row.getString(8).toString()).isEqualTo(String.valueOf(2 * MIN));
      assertThat(row.getTimestamp(9, 3).getMillisecond()).isEqualTo(2 * MIN); // arrival
    }
  }

  @Test
  void theWindowRunsOnArrivalTimeNotOnProcessingTime() throws Exception {
    try (var h = harness()) {
      h.open();
      h.setProcessingTime(0);
      h.processElement(event(id(1), "page_view", 0));
      // Read a day later (an outage), but it arrived 9 minutes after the first: a duplicate.
      h.setProcessingTime(24 * 60 * MIN);
      h.processElement(event(id(1), "page_view", 9 * MIN));
      // Arrived 11 minutes after the first (more than window + window/64): a new first sighting.
      h.processElement(event(id(1), "page_view", 11 * MIN));
      // ...and the window now runs from that one.
      h.processElement(event(id(1), "page_view", 20 * MIN));
      assertThat(output(h)).containsExactly(id(1) + "/page_view", id(1) + "/page_view");
    }
  }

  @Test
  void copiesReadOutOfArrivalOrderAreStillDuplicates() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(event(id(2), "click", 5 * MIN)); // from a shard read ahead
      h.processElement(event(id(2), "click", 1 * MIN)); // the earlier copy, from a lagging shard
      assertThat(output(h)).containsExactly(id(2) + "/click");
    }
  }

  @Test
  void idsAreForgottenTwoWindowsAfterTheirArrivalAsTheArrivalClockMoves() throws Exception {
    DeduplicateEvents op = new DeduplicateEvents(WINDOW);
    try (var h = harness(op, 128, 1, 0)) {
      h.open();
      for (int i = 0; i < 1000; i++) {
        h.processElement(event(id(i), "page_view", 0));
      }
      assertThat(op.idsHeld()).isEqualTo(1000);
      h.processElement(event(id(5000), "page_view", 19 * MIN)); // within two windows: all kept
      assertThat(op.idsHeld()).isEqualTo(1001);
      h.processElement(event(id(5001), "page_view", 21 * MIN)); // past two windows: swept
      assertThat(op.idsHeld()).isEqualTo(2);
    }
  }

  @Test
  void theSeenIdsSurviveASnapshotAndRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processElement(event(id(1), "page_view", 0));
      h.processElement(event(id(2).toUpperCase(java.util.Locale.ROOT), "page_view", 0));
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(event(id(1), "page_view", 5 * MIN));
      restored.processElement(event(id(1), "purchase", 5 * MIN));
      restored.processElement(event(id(2), "page_view", 0)); // the same event, its id in lower case
      restored.processElement(event(id(3), "click", 5 * MIN));
      assertThat(output(restored)).containsExactly(id(3) + "/click");
      assertThat(quarantined(restored)).hasSize(1);
    }
  }

  @Test
  void theSeenIdsFollowTheirKeyGroupsWhenRescaled() throws Exception {
    int maxParallelism = 16;
    int n = 500;
    OperatorSubtaskState snapshot;
    try (var h = harness(new DeduplicateEvents(WINDOW), maxParallelism, 1, 0)) {
      h.open();
      for (int i = 0; i < n; i++) {
        h.processElement(event(id(i), "page_view", 0));
      }
      snapshot = h.snapshot(1, 1);
    }
    List<String> emitted = new ArrayList<>();
    long held = 0;
    for (int subtask = 0; subtask < 2; subtask++) {
      OperatorSubtaskState part =
          AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, maxParallelism, 1, 2, subtask);
      DeduplicateEvents op = new DeduplicateEvents(WINDOW);
      try (var h = harness(op, maxParallelism, 2, subtask)) {
        h.initializeState(part);
        h.open();
        held += op.idsHeld();
        // Only this subtask's keys reach it; feed it every id and keep what it lets through.
        for (int i = 0; i < 2 * n; i++) {
          EventIdKey key = EventIdKey.of(id(i));
          int group = org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
          if (org.apache.flink.runtime.state.KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(maxParallelism, 2, group)
              == subtask) {
            h.processElement(event(id(i), "page_view", MIN));
          }
        }
        emitted.addAll(output(h));
      }
    }
    assertThat(held).isEqualTo(n);
    // Only the ids not seen before the rescale get through, each once.
    assertThat(emitted).hasSize(n).doesNotHaveDuplicates();
    assertThat(emitted).allSatisfy(e -> assertThat(UUID.fromString(e.substring(0, 36)).getLeastSignificantBits()).isGreaterThanOrEqualTo(n));
  }

  @Test
  void aChangedWindowKeepsTheRestoredIdsArrivalTimes() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processElement(event(id(1), "page_view", 0));
      h.processElement(event(id(2), "page_view", 0));
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness(new DeduplicateEvents(Duration.ofMinutes(30)), 128, 1, 0)) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(event(id(1), "page_view", 25 * MIN)); // within the new window
      restored.processElement(event(id(2), "page_view", 31 * MIN)); // past it
      assertThat(output(restored)).containsExactly(id(2) + "/page_view");
    }
  }

  /**
   * Issue 22 item 7: at most 40 bytes of heap per remembered id. The old keyed TTL state took
   * 116 B (docs/benchmarks.md). Measured as live heap after a full collection, with the harness's
   * output queue emptied as it goes.
   */
  @Test
  void theStateTakesAtMost40BytesOfHeapPerId() throws Exception {
    int n = 1_000_000;
    DeduplicateEvents op = new DeduplicateEvents(WINDOW);
    try (var h = harness(op, 128, 1, 0)) {
      h.open();
      for (int i = 0; i < 1000; i++) {
        h.processElement(event(new UUID(1, i).toString(), "page_view", 0));
      }
      h.getOutput().clear();
      long before = liveHeap();
      // One payload, its id rewritten in place for each record (the harness does not keep inputs).
      byte[] template = payload(new UUID(0, 0).toString(), "page_view");
      int idAt = new String(template, StandardCharsets.US_ASCII).indexOf(new UUID(0, 0).toString());
      java.util.Random random = new java.util.Random(7);
      for (int i = 0; i < n; i++) {
        byte[] bytes = template.clone();
        byte[] uuid = new UUID(random.nextLong(), random.nextLong()).toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(uuid, 0, bytes, idAt, uuid.length);
        KinesisRecord r = new KinesisRecord(bytes, "s", "x", "1", MIN);
        h.processElement(new StreamRecord<>(new IdentifiedRecord(EventIdKey.ofPayloadId(bytes, idAt, 36), r)));
        if (i % 10_000 == 0) {
          h.getOutput().clear();
        }
      }
      h.getOutput().clear();
      long perId = (liveHeap() - before) / n;
      System.out.printf("dedup state: %d bytes of heap per id (tables %d B per id)%n", perId, op.tableBytes() / op.idsHeld());
      assertThat(op.idsHeld()).isEqualTo(n + 1000);
      assertThat(perId).isLessThanOrEqualTo(40);
    }
  }

  /** The per-shard operator, keyed as the job keys it ({@link ShardKeys.Selector}). */
  private static KeyedOneInputStreamOperatorTestHarness<Integer, IdentifiedRecord, RowData> perShardHarness(
      int parallelism, int subtask) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(
        new DeduplicateEvents(WINDOW, io.tributary.events.WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES,
            EventTimePolicy.NONE, DedupScope.SHARD),
        new ShardKeys.Selector(), org.apache.flink.api.common.typeinfo.Types.INT,
        ShardKeys.KEY_GROUPS, parallelism, subtask);
    h.setup(new RowDataSerializer(AtomicEventsTable.ROW_TYPE));
    return h;
  }

  private static StreamRecord<IdentifiedRecord> onShard(String shard, String id, String eventType, long arrivalMillis) {
    KinesisRecord r = new KinesisRecord(payload(id, eventType), "s", shard, String.valueOf(arrivalMillis), arrivalMillis);
    return new StreamRecord<>(IdentifiedRecord.unscanned(r));
  }

  @Test
  void perShardItDropsReSendsOnAShardAndQuarantinesConflictsWithoutAnIdScan() throws Exception {
    String shard = "shardId-000000000003";
    try (var h = perShardHarness(2, ShardKeys.subtaskOf(shard, 2))) {
      h.open();
      h.processElement(onShard(shard, id(1), "page_view", 1_000));
      h.processElement(onShard(shard, id(2), "page_view", 1_000));
      h.processElement(onShard(shard, id(1), "page_view", 2_000)); // a re-send: dropped
      h.processElement(onShard(shard, id(2), "click", 3_000)); // another event reusing the id
      assertThat(output(h)).containsExactly(id(1) + "/page_view", id(2) + "/page_view");
      assertThat(quarantined(h)).singleElement().satisfies(q ->
          assertThat(q.getString(QuarantineTable.ERROR_REASON).toString()).isEqualTo(QuarantineTable.CONFLICTING_DUPLICATE));
    }
  }

  @Test
  void perShardARecordOfAShardThisSubtaskDoesNotReadFailsTheJobInsteadOfADedupAgainstTheWrongIds() throws Exception {
    String shard = "shardId-000000000003";
    int other = 1 - ShardKeys.subtaskOf(shard, 2);
    try (var h = perShardHarness(2, other)) {
      h.open();
      assertThatThrownBy(() -> h.processElement(onShard(shard, id(1), "page_view", 1_000)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("shard " + shard).hasMessageContaining("alignedWithShardKeys");
    }
  }

  private static long liveHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
