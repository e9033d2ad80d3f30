package io.tributary.eventsjob;

import io.tributary.events.ParseResult;
import io.tributary.events.RejectReason;
import io.tributary.events.Rejection;
import io.tributary.events.WebEventContract;
import io.tributary.events.WebEventParser;
import java.time.Instant;
import java.util.function.Function;

/**
 * Turns one Kinesis record into an {@code atomic_events} row or a quarantine row. The whole
 * transformation of the job, free of Flink runtime concerns so it is tested directly.
 *
 * <p>Contract: {@link #map} never throws for any payload. Parsing is {@link WebEventParser}'s
 * (the versioned event contract); its rejections keep their {@link io.tributary.events.RejectReason}
 * code. A valid event whose timestamp is outside the {@link EventTimePolicy} is quarantined
 * with the policy's reason. Should parsing or row building fail unexpectedly (a bug), the record is quarantined as
 * {@link QuarantineTable#PROCESSING_ERROR} instead of failing the job into a restart loop.
 * Thread-safe.
 */
public final class EventMapper {
  private static final int MAX_ERROR_DETAIL_CHARS = 500;

  private final Function<byte[], ParseResult> parser;
  private final EventTimePolicy eventTime;

  /** @param maxPayloadBytes larger payloads are quarantined as PAYLOAD_TOO_LARGE */
  public EventMapper(int maxPayloadBytes) {
    this(maxPayloadBytes, EventTimePolicy.NONE);
  }

  /**
   * @param maxPayloadBytes larger payloads are quarantined as PAYLOAD_TOO_LARGE
   * @param eventTime valid events outside it are quarantined as TIMESTAMP_TOO_OLD or
   *     TIMESTAMP_IN_FUTURE
   */
  public EventMapper(int maxPayloadBytes, EventTimePolicy eventTime) {
    this(new WebEventParser(maxPayloadBytes)::parse, eventTime);
  }

  /** For tests: another parser (e.g. one that fails). */
  EventMapper(Function<byte[], ParseResult> parser) {
    this(parser, EventTimePolicy.NONE);
  }

  EventMapper(Function<byte[], ParseResult> parser, EventTimePolicy eventTime) {
    this.parser = parser;
    this.eventTime = eventTime;
  }

  /**
   * @param record the payload and its origin
   * @param processingTime the {@code etl_timestamp} to write
   */
  public MappedRecord map(KinesisRecord record, Instant processingTime) {
    try {
      ParseResult result = parser.apply(record.getPayload());
      if (result.isAccepted()) {
        Instant timestamp = result.getEvent().getEventTimestamp();
        RejectReason late = eventTime.check(timestamp, record.getApproximateArrivalMillis());
        if (late != null) {
          String detail = eventTime.detail(late, timestamp, record.getApproximateArrivalMillis());
          return MappedRecord.quarantined(
              QuarantineTable.toRow(record, late.name(), WebEventContract.EVENT_TIMESTAMP, detail, processingTime),
              late.name());
        }
        return MappedRecord.event(
            AtomicEventsTable.toRow(result.getEvent(), record, processingTime), result.getEvent().getEventId());
      }
      Rejection rejection = result.getRejection();
      String reason = rejection.getReason().name();
      return MappedRecord.quarantined(
          QuarantineTable.toRow(record, reason, rejection.getField(), rejection.getDetail(), processingTime),
          reason);
    } catch (RuntimeException e) {
      String detail = e.getClass().getName() + ": " + e.getMessage();
      if (detail.length() > MAX_ERROR_DETAIL_CHARS) {
        detail = detail.substring(0, MAX_ERROR_DETAIL_CHARS) + "...";
      }
      return MappedRecord.quarantined(
          QuarantineTable.toRow(record, QuarantineTable.PROCESSING_ERROR, null, detail, processingTime),
          QuarantineTable.PROCESSING_ERROR);
    }
  }
}
