package io.tributary.cdc.source;

import io.tributary.cdc.silver.PgColumnType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.kafka.connect.data.Schema;

/**
 * Converts one Debezium column value (as the PostgreSQL connector emits it with the settings in
 * {@link DebeziumSettings}) into Flink's internal format for the column's {@link PgColumnType}.
 * The Debezium field schema name decides the unit of temporal values.
 */
public final class ValueConverter {
  private ValueConverter() {}

  /**
   * @param value the Debezium value, not a TOAST placeholder
   * @param type the silver column type
   * @param schema the Debezium field schema (may be null for array elements)
   * @throws IllegalArgumentException when the value does not fit the column type
   */
  public static Object convert(Object value, PgColumnType type, Schema schema) {
    if (value == null) {
      return null;
    }
    String name = schema == null ? null : schema.name();
    switch (type.kind()) {
      case BOOLEAN:
        return (Boolean) value;
      case SMALLINT:
        return ((Number) value).shortValue();
      case INT:
        return ((Number) value).intValue();
      case BIGINT:
        return ((Number) value).longValue();
      case FLOAT:
        return ((Number) value).floatValue();
      case DOUBLE:
        return ((Number) value).doubleValue();
      case DECIMAL:
        {
          BigDecimal d = value instanceof BigDecimal ? (BigDecimal) value : new BigDecimal(value.toString());
          DecimalData data = DecimalData.fromBigDecimal(d, type.precision(), type.scale());
          if (data == null) {
            throw new IllegalArgumentException(d + " does not fit " + type.pgType());
          }
          return data;
        }
      case STRING:
        return StringData.fromString(value instanceof BigDecimal ? ((BigDecimal) value).toPlainString() : value.toString());
      case DATE:
        if (value instanceof java.util.Date) {
          return (int) (((java.util.Date) value).getTime() / 86_400_000L);
        }
        return ((Number) value).intValue();
      case TIME:
        return StringData.fromString(LocalTime.ofNanoOfDay(timeNanos(value, name)).toString());
      case TIMESTAMP:
        return timestamp(value, name);
      case TIMESTAMPTZ:
        if (value instanceof String) {
          return TimestampData.fromInstant(OffsetDateTime.parse((String) value).toInstant());
        }
        return timestamp(value, name);
      case BYTES:
        if (value instanceof ByteBuffer) {
          ByteBuffer b = ((ByteBuffer) value).duplicate();
          byte[] out = new byte[b.remaining()];
          b.get(out);
          return out;
        }
        return (byte[]) value;
      case ARRAY:
        {
          List<?> list = (List<?>) value;
          Schema elementSchema = schema == null ? null : schema.valueSchema();
          Object[] out = new Object[list.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = convert(list.get(i), type.element(), elementSchema);
          }
          return new GenericArrayData(out);
        }
      default:
        throw new IllegalStateException(type.kind().name());
    }
  }

  private static long timeNanos(Object value, String schemaName) {
    long v = ((Number) value).longValue();
    if ("io.debezium.time.Time".equals(schemaName)) {
      return v * 1_000_000L;
    }
    if ("io.debezium.time.NanoTime".equals(schemaName)) {
      return v;
    }
    return v * 1_000L; // io.debezium.time.MicroTime
  }

  private static TimestampData timestamp(Object value, String schemaName) {
    if (value instanceof java.util.Date) {
      return TimestampData.fromEpochMillis(((java.util.Date) value).getTime());
    }
    if (value instanceof String) {
      return TimestampData.fromLocalDateTime(LocalDateTime.parse((String) value));
    }
    long v = ((Number) value).longValue();
    if ("io.debezium.time.Timestamp".equals(schemaName)) {
      return TimestampData.fromEpochMillis(v);
    }
    if ("io.debezium.time.NanoTimestamp".equals(schemaName)) {
      return TimestampData.fromEpochMillis(Math.floorDiv(v, 1_000_000L), (int) Math.floorMod(v, 1_000_000L));
    }
    return micros(v); // io.debezium.time.MicroTimestamp
  }

  /** A timestamp from microseconds since the epoch. */
  public static TimestampData micros(long micros) {
    return TimestampData.fromEpochMillis(Math.floorDiv(micros, 1000L), (int) Math.floorMod(micros, 1000L) * 1000);
  }

  /** UTC date (days since the epoch) of a timestamp. */
  public static int utcDate(TimestampData t) {
    return (int) Math.floorDiv(t.getMillisecond(), 86_400_000L);
  }

  /** UTC date of an instant. */
  public static int utcDate(Instant instant) {
    return (int) instant.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
  }
}
