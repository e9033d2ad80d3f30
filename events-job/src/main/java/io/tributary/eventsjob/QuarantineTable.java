package io.tributary.eventsjob;

import static io.tributary.eventsjob.AtomicEventsTable.str;
import static io.tributary.eventsjob.AtomicEventsTable.string;

import io.tributary.events.RejectReason;
import io.tributary.events.Utf8;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The table {@code atomic_events_quarantine}: one row per Kinesis record that is not a valid
 * event, with the whole payload and why it was rejected; partitioned by {@code event_date}, the
 * UTC date the record <em>arrived</em> in Kinesis (its own timestamp may be missing or garbage).
 */
public final class QuarantineTable {

  /** {@code raw_payload_encoding} of a payload that is valid UTF-8: {@code raw_payload} is the text. */
  public static final String ENCODING_UTF8 = "utf-8";
  /** {@code raw_payload_encoding} of any other payload: {@code raw_payload} is its standard Base64. */
  public static final String ENCODING_BASE64 = "base64";

  /**
   * Reason of a record that made the job itself fail while mapping it (a bug, not bad input);
   * every other reason is a {@link io.tributary.events.RejectReason} name or {@link
   * #CONFLICTING_DUPLICATE}.
   */
  public static final String PROCESSING_ERROR = "PROCESSING_ERROR";

  /**
   * Reason of a valid event whose {@code event_id} was already written within the dedup window
   * with a different payload (see {@link DeduplicateEvents}): the first one stays in {@code
   * atomic_events}, this one is kept here with its raw payload. Error field {@code event_id}.
   */
  public static final String CONFLICTING_DUPLICATE = "CONFLICTING_DUPLICATE";

  public static final int ERROR_REASON = 3;

  public static final RowType ROW_TYPE =
      RowType.of(
          new LogicalType[] {
            string(false), // raw_payload
            string(false), // raw_payload_encoding
            new IntType(false), // payload_bytes
            string(false), // error_reason
            string(true), // error_field
            string(false), // error_detail
            string(false), // kinesis_stream
            string(false), // kinesis_shard_id
            string(false), // kinesis_sequence_number
            new LocalZonedTimestampType(false, 3), // ingest_timestamp
            new LocalZonedTimestampType(false, 6), // etl_timestamp
            string(false), // source_filename
            new DateType(false) // event_date
          },
          new String[] {
            "raw_payload",
            "raw_payload_encoding",
            "payload_bytes",
            "error_reason",
            "error_field",
            "error_detail",
            "kinesis_stream",
            "kinesis_shard_id",
            "kinesis_sequence_number",
            "ingest_timestamp",
            "etl_timestamp",
            "source_filename",
            "event_date"
          });

  public static final List<String> COLUMNS = ROW_TYPE.getFieldNames();

  // Fixed values as string data built once, shared by all rows.
  private static final StringData UTF8 = str(ENCODING_UTF8);
  private static final StringData BASE64 = str(ENCODING_BASE64);
  private static final Map<String, StringData> REASONS = reasons();

  private QuarantineTable() {}

  /**
   * The row of a rejected record.
   *
   * @param reason a {@link io.tributary.events.RejectReason} name, {@link #PROCESSING_ERROR} or
   *     {@link #CONFLICTING_DUPLICATE}
   * @param field the offending field, or null
   * @param detail human-readable explanation
   */
  public static RowData toRow(KinesisRecord record, String reason, String field, String detail, Instant etlTime) {
    byte[] payload = record.getPayload() == null ? new byte[0] : record.getPayload();
    // Valid UTF-8 is kept as the record's own bytes: no decode to a String and re-encode for Parquet.
    boolean utf8 = Utf8.isValid(payload);
    Instant arrival = Instant.ofEpochMilli(record.getApproximateArrivalMillis());
    return GenericRowData.of(
        utf8 ? StringData.fromBytes(payload) : str(Base64.getEncoder().encodeToString(payload)),
        utf8 ? UTF8 : BASE64,
        payload.length,
        reason(reason),
        str(field),
        str(detail == null ? "" : detail),
        str(record.getStream()),
        str(record.getShardId()),
        str(record.getSequenceNumber()),
        TimestampData.fromEpochMillis(record.getApproximateArrivalMillis()),
        TimestampData.fromInstant(etlTime),
        str(record.sourceFilename()),
        AtomicEventsTable.utcEpochDay(arrival));
  }

  /** The reason as string data: shared for the known reasons, encoded for anything else. */
  private static StringData reason(String reason) {
    StringData known = REASONS.get(reason);
    return known != null ? known : str(reason);
  }

  private static Map<String, StringData> reasons() {
    Map<String, StringData> m = new HashMap<>();
    for (RejectReason r : RejectReason.values()) {
      m.put(r.name(), str(r.name()));
    }
    m.put(PROCESSING_ERROR, str(PROCESSING_ERROR));
    m.put(CONFLICTING_DUPLICATE, str(CONFLICTING_DUPLICATE));
    return Map.copyOf(m);
  }
}
