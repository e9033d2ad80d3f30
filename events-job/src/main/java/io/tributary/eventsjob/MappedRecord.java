package io.tributary.eventsjob;

import java.util.Objects;
import org.apache.flink.table.data.RowData;

/**
 * What {@link EventMapper} made of one Kinesis record: either an {@code atomic_events} row
 * ({@link #isEvent()}) or an {@code atomic_events_quarantine} row with its reason.
 */
public final class MappedRecord {
  private final RowData row;
  private final String eventId;
  private final String quarantineReason;

  private MappedRecord(RowData row, String eventId, String quarantineReason) {
    this.row = Objects.requireNonNull(row);
    this.eventId = eventId;
    this.quarantineReason = quarantineReason;
  }

  static MappedRecord event(RowData row, String eventId) {
    return new MappedRecord(row, Objects.requireNonNull(eventId), null);
  }

  static MappedRecord quarantined(RowData row, String reason) {
    return new MappedRecord(row, null, Objects.requireNonNull(reason));
  }

  public boolean isEvent() {
    return eventId != null;
  }

  /** An {@link AtomicEventsTable} row if {@link #isEvent()}, else a {@link QuarantineTable} row. */
  public RowData row() {
    return row;
  }

  /** The event's id (lower case), or null for a quarantined record. */
  public String eventId() {
    return eventId;
  }

  /** The quarantine reason code, or null for an event. */
  public String quarantineReason() {
    return quarantineReason;
  }

  @Override
  public String toString() {
    return isEvent() ? "event " + eventId : "quarantined " + quarantineReason;
  }
}
