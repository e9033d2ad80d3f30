package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.Test;

/** The dedup operator on Flink's operator test harness: arrival-time window, fingerprints, state. */
@SuppressWarnings("try") // the harness's close() may throw InterruptedException
class DeduplicateEventsTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final long MIN = 60_000;

  private static KeyedOneInputStreamOperatorTestHarness<EventIdKey, RowData, RowData> harness(
      DeduplicateEvents op, int maxParallelism, int parallelism, int subtask) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        op, new EventsPipeline.EventIdKeySelector(), EventIdKey.TypeInfo.INSTANCE, maxParallelism, parallelism, subtask);
  }

  private static KeyedOneInputStreamOperatorTestHarness<EventIdKey, RowData, RowData> harness() throws Exception {
    return harness(new DeduplicateEvents(WINDOW), 128, 1, 0);
  }

  private static String id(int i) {
    return new UUID(0x1234L, i).toString();
  }

  /** A dedup row: id, payload text (its fingerprint), arrival time in Kinesis. */
  static StreamRecord<RowData> event(String id, String payload, long arrivalMillis) {
    GenericRowData atomic = new GenericRowData(DedupRow.ATOMIC_ARITY);
    atomic.setField(AtomicEventsTable.EVENT_ID, StringData.fromString(id));
    atomic.setField(AtomicEventsTable.EVENT_TYPE, StringData.fromString(payload));
    atomic.setField(AtomicEventsTable.SOURCE_FILENAME, StringData.fromString("kinesis://s/shardId-000000000001/" + arrivalMillis));
    atomic.setField(DedupRow.ARRIVAL, TimestampData.fromEpochMillis(arrivalMillis));
    // A fresh builder per row: the harness keeps each input row.
    return new StreamRecord<>(new DedupRow.Builder().of(atomic, payload.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> output(KeyedOneInputStreamOperatorTestHarness<EventIdKey, RowData, RowData> h) {
    return h.extractOutputValues().stream()
        .map(r -> r.getString(AtomicEventsTable.EVENT_ID) + "/" + r.getString(AtomicEventsTable.EVENT_TYPE))
        .collect(Collectors.toList());
  }

  private static List<RowData> quarantined(KeyedOneInputStreamOperatorTestHarness<EventIdKey, RowData, RowData> h) {
    var side = h.getSideOutput(RouteEvents.QUARANTINE);
    return side == null ? List.of() : side.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  @Test
  void anIdenticalReSendIsDroppedAConflictingOneQuarantinedWithItsPayload() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(event("a", "page_view", 0));
      h.processElement(event("a", "page_view", MIN)); // a retry: same bytes
      h.processElement(event("a", "purchase", 2 * MIN)); // another event reusing the id
      h.processElement(event("b", "click", 3 * MIN));
      assertThat(output(h)).containsExactly("a/page_view", "b/click");
      assertThat(output(h).size() + quarantined(h).size()).isEqualTo(3);
      List<RowData> q = quarantined(h);
      assertThat(q).hasSize(1);
      RowData row = q.get(0);
      assertThat(row.getString(QuarantineTable.ERROR_REASON).toString()).isEqualTo(QuarantineTable.CONFLICTING_DUPLICATE);
      assertThat(row.getString(0).toString()).isEqualTo("purchase"); // raw_payload, as sent
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
      h.processElement(event("not-a-uuid", "page_view", 0));
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(event(id(1), "page_view", 5 * MIN));
      restored.processElement(event(id(1), "purchase", 5 * MIN));
      restored.processElement(event("not-a-uuid", "page_view", 5 * MIN));
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
        h.processElement(event(new UUID(1, i).toString(), "p", 0));
      }
      h.getOutput().clear();
      long before = liveHeap();
      GenericRowData atomic = new GenericRowData(DedupRow.ATOMIC_ARITY);
      atomic.setField(AtomicEventsTable.SOURCE_FILENAME, StringData.fromString("kinesis://s/x/1"));
      atomic.setField(DedupRow.ARRIVAL, TimestampData.fromEpochMillis(MIN));
      DedupRow.Builder rows = new DedupRow.Builder();
      byte[] payload = new byte[16];
      StreamRecord<RowData> record = new StreamRecord<>(null);
      java.util.Random random = new java.util.Random(7);
      for (int i = 0; i < n; i++) {
        atomic.setField(AtomicEventsTable.EVENT_ID, StringData.fromString(new UUID(random.nextLong(), random.nextLong()).toString()));
        random.nextBytes(payload);
        h.processElement(record.replace(rows.of(atomic, payload)));
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
