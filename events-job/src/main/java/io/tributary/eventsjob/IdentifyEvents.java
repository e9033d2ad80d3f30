package io.tributary.eventsjob;

import io.tributary.events.EventIdScanner;
import io.tributary.events.ParseResult;
import io.tributary.events.WebEventParser;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Gives each Kinesis record the key the dedup keys it by, before it is parsed: its {@code
 * event_id}, found by {@link EventIdScanner} in one pass over the bytes. The record is then sent
 * to the subtask that holds the id's state and parsed there, once ({@link DeduplicateEvents}), so
 * the keyBy moves payload bytes instead of rows.
 *
 * <p>Contract: for every record {@link WebEventParser} accepts, the key is {@code
 * EventIdKey.of(event id)}, the key {@link DeduplicateEvents} deduplicates under. A record the
 * scanner cannot read with certainty (escapes in a top-level key or in the id, odd bytes) is
 * parsed here to find its id ({@value #SCAN_FALLBACKS} counts those); a record that cannot be a
 * valid event gets a key spread by its sequence number.
 */
public final class IdentifyEvents extends RichMapFunction<KinesisRecord, IdentifiedRecord> {
  private static final long serialVersionUID = 1L;

  /** Records whose id only a full parse could tell. */
  public static final String SCAN_FALLBACKS = "eventIdScanFallbacks";

  private final int maxPayloadBytes;
  private transient WebEventParser parser;
  private transient Counter fallbacks;

  public IdentifyEvents(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  @Override
  public void open(OpenContext openContext) {
    parser = new WebEventParser(maxPayloadBytes);
    fallbacks = getRuntimeContext().getMetricGroup().counter(SCAN_FALLBACKS);
  }

  @Override
  public IdentifiedRecord map(KinesisRecord record) {
    return new IdentifiedRecord(keyOf(record, parser, fallbacks), record);
  }

  /** The key of {@code record}, see the class contract. */
  static EventIdKey keyOf(KinesisRecord record, WebEventParser parser, Counter fallbacks) {
    byte[] payload = record.getPayload();
    if (payload == null || payload.length > parser.getMaxPayloadBytes()) {
      return EventIdKey.forNonEvent(record.getSequenceNumber()); // rejected for its size, unread
    }
    long found = EventIdScanner.scan(payload);
    if (EventIdScanner.found(found)) {
      return EventIdKey.ofPayloadId(payload, EventIdScanner.offset(found), EventIdScanner.length(found));
    }
    if (found == EventIdScanner.UNSURE) {
      fallbacks.inc();
      ParseResult parsed = parser.parse(payload);
      if (parsed.isAccepted()) {
        return EventIdKey.of(parsed.getEvent().getEventId());
      }
    }
    return EventIdKey.forNonEvent(record.getSequenceNumber());
  }
}
