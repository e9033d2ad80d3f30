package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** The dedup window on Flink's operator test harness, with a controlled TTL clock. */
@SuppressWarnings("try") // the harness's close() may throw InterruptedException
class DeduplicateEventsTest {

  private static KeyedOneInputStreamOperatorTestHarness<EventIdKey, RowData, RowData> harness() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new DeduplicateEvents(Duration.ofMinutes(10))),
        new EventsPipeline.EventIdKeySelector(),
        EventIdKey.TypeInfo.INSTANCE);
  }

  private static StreamRecord<RowData> event(String id, String type) {
    GenericRowData row = new GenericRowData(AtomicEventsTable.COLUMNS.size());
    row.setField(AtomicEventsTable.EVENT_ID, StringData.fromString(id));
    row.setField(AtomicEventsTable.EVENT_TYPE, StringData.fromString(type));
    return new StreamRecord<>(row);
  }

  private static List<String> output(KeyedOneInputStreamOperatorTestHarness<EventIdKey, RowData, RowData> h) {
    return h.extractOutputValues().stream()
        .map(r -> r.getString(AtomicEventsTable.EVENT_ID) + "/" + r.getString(AtomicEventsTable.EVENT_TYPE))
        .collect(Collectors.toList());
  }

  @Test
  void keepsTheFirstOfAnIdWithinTheWindowAndAcceptsItAgainAfter() throws Exception {
    try (var h = harness()) {
      h.open();
      h.setStateTtlProcessingTime(0);
      h.processElement(event("a", "page_view"));
      h.processElement(event("b", "click"));
      h.setStateTtlProcessingTime(Duration.ofMinutes(9).toMillis());
      h.processElement(event("a", "purchase")); // duplicate within the window: dropped
      h.setStateTtlProcessingTime(Duration.ofMinutes(10).toMillis() + 1);
      h.processElement(event("a", "login")); // the first sighting expired: accepted again
      h.processElement(event("b", "click")); // so did b's (duplicates do not extend the window)
      assertThat(output(h)).containsExactly("a/page_view", "b/click", "a/login", "b/click");
    }
  }

  @Test
  void theSeenIdsSurviveASnapshotAndRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.setStateTtlProcessingTime(0);
      h.processElement(event("a", "page_view"));
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.setStateTtlProcessingTime(Duration.ofMinutes(5).toMillis());
      restored.processElement(event("a", "page_view"));
      restored.processElement(event("c", "click"));
      assertThat(output(restored)).containsExactly("c/click");
    }
  }

  @Test
  void aMarkThatExpiredBeforeTheSnapshotIsNotHonouredAfterRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.setStateTtlProcessingTime(0);
      h.processElement(event("a", "page_view"));
      h.setStateTtlProcessingTime(Duration.ofMinutes(10).toMillis() + 1); // a's mark has expired
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.setStateTtlProcessingTime(Duration.ofMinutes(11).toMillis());
      restored.processElement(event("a", "login"));
      assertThat(output(restored)).containsExactly("a/login");
    }
  }

  @Test
  void expiredMarksAreSweptFromTheHeapWhileNewEventsArrive() throws Exception {
    int n = 2_000;
    try (var h = harness()) {
      h.open();
      h.setStateTtlProcessingTime(0);
      for (int i = 0; i < n; i++) {
        h.processElement(event(new java.util.UUID(1, i).toString(), "page_view"));
      }
      assertThat(h.numKeyedStateEntries()).isEqualTo(n);
      h.setStateTtlProcessingTime(Duration.ofMinutes(10).toMillis() + 1); // every mark has expired
      for (int i = 0; i < n; i++) {
        h.processElement(event(new java.util.UUID(2, i).toString(), "click"));
      }
      // Each event touches the state twice and the sweep checks one entry per touch: by the time
      // n new marks arrived, the n expired ones are gone (without the sweep the heap holds 2n).
      assertThat(h.numKeyedStateEntries()).isLessThanOrEqualTo(n + n / 20);
      assertThat(output(h)).hasSize(2 * n);
    }
  }
}
