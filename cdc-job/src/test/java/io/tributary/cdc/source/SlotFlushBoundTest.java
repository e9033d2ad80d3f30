package io.tributary.cdc.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The slot position a checkpoint records as the furthest its commit can move the slot (what a
 * restore is checked against): Debezium flushes {@code lsn_commit}, else {@code lsn_proc}, else
 * nothing. A checkpoint whose newest record is a snapshot record (only {@code lsn}) must record the
 * slot's unchanged position, not 0/0: otherwise its restore is refused as "older than the slot".
 */
class SlotFlushBoundTest {

  @Test
  void streamedRecordsBoundTheSlotAtTheirCommitLsn() {
    assertThat(PostgresCdcSource.flushBound(Map.of("lsn", 300L, "lsn_proc", 250L, "lsn_commit", 200L), 100L))
        .isEqualTo(200L);
    assertThat(PostgresCdcSource.flushBound(Map.of("lsn", 300L, "lsn_proc", 250L), 100L)).isEqualTo(250L);
  }

  @Test
  void aSnapshotRecordLeavesTheSlotWhereItWas() {
    assertThat(PostgresCdcSource.flushBound(Map.of("lsn", 300L, "snapshot", true, "last_snapshot_record", true), 100L))
        .isEqualTo(100L);
    assertThat(PostgresCdcSource.flushBound(null, 100L)).isEqualTo(100L);
    assertThat(PostgresCdcSource.flushBound(Map.of("lsn", 300L), null)).isNull();
  }
}
