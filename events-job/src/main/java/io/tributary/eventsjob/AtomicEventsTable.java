package io.tributary.eventsjob;

import io.tributary.events.Device;
import io.tributary.events.EventType;
import io.tributary.events.WebEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * The silver table {@code atomic_events}: one row per accepted web event (contract version 1),
 * partitioned by {@code event_date}. Column order and types are the table's schema; see the
 * module README for the meaning of each column.
 */
public final class AtomicEventsTable {

  public static final String PARTITION_COLUMN = "event_date";

  public static final int EVENT_ID = 0;
  public static final int EVENT_TYPE = 1;
  public static final int EVENT_TIMESTAMP = 2;
  public static final int SOURCE_FILENAME = 14;

  /** The row type of the stream into the sink (and the Delta schema it maps to). */
  public static final RowType ROW_TYPE =
      RowType.of(
          new LogicalType[] {
            string(false), // event_id
            string(false), // event_type
            new LocalZonedTimestampType(false, 6), // event_timestamp
            string(true), // user_id
            string(true), // session_id
            string(true), // page_url
            string(true), // referrer
            string(true), // user_agent
            string(true), // device
            string(true), // country
            string(true), // order_id
            string(true), // properties
            string(true), // extra_fields
            new IntType(false), // schema_version
            string(false), // source_filename
            new LocalZonedTimestampType(false, 3), // ingest_timestamp
            new LocalZonedTimestampType(false, 6), // etl_timestamp
            new DateType(false) // event_date
          },
          new String[] {
            "event_id",
            "event_type",
            "event_timestamp",
            "user_id",
            "session_id",
            "page_url",
            "referrer",
            "user_agent",
            "device",
            "country",
            "order_id",
            "properties",
            "extra_fields",
            "schema_version",
            "source_filename",
            "ingest_timestamp",
            "etl_timestamp",
            "event_date"
          });

  public static final List<String> COLUMNS = ROW_TYPE.getFieldNames();

  // Enum columns as string data built once: rows share these immutable values instead of
  // encoding a wire name per event.
  private static final StringData[] EVENT_TYPES = encoded(EventType.values(), EventType::wireName);
  private static final StringData[] DEVICES = encoded(Device.values(), Device::wireName);

  private AtomicEventsTable() {}

  /**
   * The row of an accepted event.
   *
   * @param record where the event came from (source_filename, ingest_timestamp)
   * @param etlTime processing time (etl_timestamp)
   */
  public static RowData toRow(WebEvent event, KinesisRecord record, Instant etlTime) {
    Instant eventTime = event.getEventTimestamp();
    return GenericRowData.of(
        str(event.getEventId()),
        EVENT_TYPES[event.getEventType().ordinal()],
        TimestampData.fromInstant(eventTime),
        str(event.getUserId()),
        str(event.getSessionId()),
        str(event.getPageUrl()),
        str(event.getReferrer()),
        str(event.getUserAgent()),
        event.getDevice() == null ? null : DEVICES[event.getDevice().ordinal()],
        str(event.getCountry()),
        str(event.getOrderId()),
        str(event.getProperties()),
        str(event.getExtraFields()),
        event.getSchemaVersion(),
        str(record.sourceFilename()),
        TimestampData.fromEpochMillis(record.getApproximateArrivalMillis()),
        TimestampData.fromInstant(etlTime),
        utcEpochDay(eventTime));
  }

  /** Days since 1970-01-01 of the instant's UTC date (the DATE value of a RowData). */
  static int utcEpochDay(Instant instant) {
    return (int) Math.floorDiv(instant.getEpochSecond(), 86_400L);
  }

  /**
   * The string as UTF-8 string data, encoded now by the JDK's encoder (a bulk copy for the usual
   * ASCII text) instead of later by Flink's per-character one when the row is serialized or
   * written. Same bytes, lone surrogates included (both write {@code '?'}).
   */
  static StringData str(String s) {
    return s == null ? null : StringData.fromBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Each value's name as string data, indexed by ordinal. */
  static <E extends Enum<E>> StringData[] encoded(E[] values, Function<E, String> name) {
    StringData[] out = new StringData[values.length];
    for (E v : values) {
      out[v.ordinal()] = str(name.apply(v));
    }
    return out;
  }

  static VarCharType string(boolean nullable) {
    return new VarCharType(nullable, VarCharType.MAX_LENGTH);
  }
}
