package io.tributary.cdc.source;

import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Turns one Debezium change event (the envelope {@code Struct}: {@code before}, {@code after},
 * {@code source}, {@code op}) of a captured table into a {@link SilverRow}. Pure: no Flink runtime,
 * no I/O, so it is unit-tested on hand-built structs.
 *
 * <ul>
 *   <li>{@code c}, {@code u}, {@code r}: the after-image; {@code d}: the before-image (with
 *       replica identity DEFAULT only its key columns, the rest null) and {@code is_deleted=true}.
 *   <li>Unchanged TOASTed values (Debezium's placeholder) are taken from the before-image when it
 *       has them (REPLICA IDENTITY FULL), else written as null: never as the placeholder.
 *   <li>{@code event_date} is the UTC date of the configured event-time column, else (null value or
 *       no such column) of the source commit timestamp.
 * </ul>
 */
public final class ChangeEventConverter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An event names columns the schema lacks: reload the table schema and convert again. */
  public static final class UnknownColumnsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> columns;

    UnknownColumnsException(TableName table, List<String> columns) {
      super("change event of " + table + " has columns " + columns + " the known schema lacks");
      this.columns = columns;
    }

    public List<String> columns() {
      return columns;
    }
  }

  private final SilverSchema schema;
  private final String host;
  private final String database;
  private final int eventTimeIndex;
  private final ToastPlaceholder placeholder;
  private final String filenamePrefix;

  /**
   * @param eventTimeColumn source column whose UTC date is {@code event_date}, or null
   */
  public ChangeEventConverter(
      SilverSchema schema, String host, String database, String eventTimeColumn, ToastPlaceholder placeholder) {
    this.schema = schema;
    this.host = host;
    this.database = database;
    this.eventTimeIndex = eventTimeColumn == null ? -1 : schema.source().indexOf(eventTimeColumn);
    this.placeholder = placeholder;
    this.filenamePrefix = "postgres://" + host + "/" + database + "/" + schema.table().qualified() + "@";
  }

  public SilverSchema schema() {
    return schema;
  }

  /** The converter for a newer schema of the same table. */
  public ChangeEventConverter withSchema(SilverSchema newer, String eventTimeColumn) {
    return new ChangeEventConverter(newer, host, database, eventTimeColumn, placeholder);
  }

  /**
   * Converts one change event.
   *
   * @param envelope the record value ({@code before}/{@code after}/{@code source}/{@code op})
   * @param commitLsn end LSN of the source transaction (snapshot: the slot's consistent point)
   * @param seq index of the change within its transaction (snapshot: within the snapshot)
   * @param etlMillis processing time, epoch milliseconds
   * @return the row, or null for operations that are not row changes (truncate, messages)
   */
  public SilverRow convert(Struct envelope, long commitLsn, long seq, long etlMillis)
      throws UnknownColumnsException {
    String op = envelope.getString("op");
    if (!"c".equals(op) && !"u".equals(op) && !"d".equals(op) && !"r".equals(op)) {
      return null;
    }
    Struct before = envelope.schema().field("before") == null ? null : envelope.getStruct("before");
    Struct after = envelope.getStruct("after");
    checkColumns(before);
    checkColumns(after);
    boolean deleted = "d".equals(op);
    Struct image = deleted ? before : after;
    Object[] values = new Object[schema.width()];
    List<SourceTable.Column> columns = schema.source().columns();
    for (int i = 0; i < columns.size(); i++) {
      SourceTable.Column column = columns.get(i);
      values[i] = value(column, image, deleted ? null : before);
    }
    Struct source = envelope.getStruct("source");
    long commitMicros = commitMicros(source);
    TimestampData commitTs = ValueConverter.micros(commitMicros);
    int base = schema.sourceColumnCount();
    values[base] = StringData.fromString(op);
    values[base + 1] = commitLsn;
    values[base + 2] = longField(source, "lsn");
    values[base + 3] = seq;
    values[base + 4] = longField(source, "txId");
    values[base + 5] = commitTs;
    values[base + 6] = deleted;
    values[base + 7] = TimestampData.fromEpochMillis(etlMillis);
    values[base + 8] = eventDate(values, commitTs);
    values[base + 9] = StringData.fromString(filenamePrefix + Lsns.format(commitLsn));
    return new SilverRow(schema, commitLsn, seq, values);
  }

  /**
   * {@code row} (converted by a converter of the same table, possibly an older schema version) at
   * its transaction's commit: the commit LSN, the source file name that includes it, and the ETL
   * time. Changes are converted as they arrive, before their commit LSN is known (see {@link
   * TransactionBuffer}); this stamps them at the transaction's END.
   */
  public SilverRow atCommit(SilverRow row, long commitLsn, long etlMillis) {
    SilverSchema rowSchema = row.schema();
    if (!rowSchema.table().equals(schema.table())) {
      throw new IllegalArgumentException(row + " is not a row of " + schema.table());
    }
    Object[] values = row.values().clone();
    int base = rowSchema.sourceColumnCount();
    values[base + 1] = commitLsn;
    values[base + 7] = TimestampData.fromEpochMillis(etlMillis);
    values[base + 9] = StringData.fromString(filenamePrefix + Lsns.format(commitLsn));
    return new SilverRow(rowSchema, commitLsn, row.seq(), values);
  }

  /**
   * A delete written by a re-snapshot for a key the silver table still shows but the new snapshot
   * does not have (deleted while the job was not reading the slot): the key columns, the rest null,
   * {@code op = 'd'}, positioned at the snapshot's LSN after its rows. Its commit time is the
   * snapshot's ({@code etlMillis}): the real delete time is unknown.
   *
   * @param key the primary key values, in {@link SourceTable#primaryKey()} order
   */
  public SilverRow snapshotDelete(Object[] key, long snapshotLsn, long seq, long etlMillis) {
    Object[] values = new Object[schema.width()];
    List<String> pk = schema.source().primaryKey();
    for (int i = 0; i < pk.size(); i++) {
      values[schema.source().indexOf(pk.get(i))] = key[i];
    }
    TimestampData ts = TimestampData.fromEpochMillis(etlMillis);
    int base = schema.sourceColumnCount();
    values[base] = StringData.fromString("d");
    values[base + 1] = snapshotLsn;
    values[base + 2] = snapshotLsn;
    values[base + 3] = seq;
    values[base + 4] = null;
    values[base + 5] = ts;
    values[base + 6] = true;
    values[base + 7] = ts;
    values[base + 8] = eventDate(values, ts);
    values[base + 9] = StringData.fromString(filenamePrefix + Lsns.format(snapshotLsn));
    return new SilverRow(schema, snapshotLsn, seq, values);
  }

  private Object value(SourceTable.Column column, Struct image, Struct previous) {
    if (image == null) {
      return null;
    }
    Field field = image.schema().field(column.name());
    if (field == null) {
      return null; // column dropped at the source, or not in a key-only before-image
    }
    Object raw = image.get(field);
    if (placeholder.matches(raw)) {
      Field prev = previous == null ? null : previous.schema().field(column.name());
      Object old = prev == null ? null : previous.get(prev);
      if (old == null || placeholder.matches(old)) {
        return null;
      }
      return ValueConverter.convert(old, column.type(), prev.schema());
    }
    try {
      return ValueConverter.convert(raw, column.type(), field.schema());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot convert " + schema.table() + "." + column.name() + " (" + column.type().pgType() + ") value of "
              + (raw == null ? "null" : raw.getClass().getSimpleName()) + ": " + e.getMessage(), e);
    }
  }

  private int eventDate(Object[] values, TimestampData commitTs) {
    if (eventTimeIndex >= 0 && values[eventTimeIndex] != null) {
      Object v = values[eventTimeIndex];
      if (v instanceof TimestampData) {
        return ValueConverter.utcDate((TimestampData) v);
      }
      if (v instanceof Integer) {
        return (Integer) v;
      }
    }
    return ValueConverter.utcDate(commitTs);
  }

  private void checkColumns(Struct image) throws UnknownColumnsException {
    if (image == null) {
      return;
    }
    List<String> unknown = null;
    for (Field f : image.schema().fields()) {
      if (schema.source().indexOf(f.name()) < 0) {
        if (unknown == null) {
          unknown = new ArrayList<>();
        }
        unknown.add(f.name());
      }
    }
    if (unknown != null) {
      throw new UnknownColumnsException(schema.table(), unknown);
    }
  }

  private static long commitMicros(Struct source) {
    Long us = longField(source, "ts_us");
    if (us != null) {
      return us;
    }
    Long ms = longField(source, "ts_ms");
    return ms == null ? 0L : ms * 1000L;
  }

  private static Long longField(Struct struct, String name) {
    if (struct == null || struct.schema().field(name) == null) {
      return null;
    }
    Object v = struct.get(name);
    return v == null ? null : ((Number) v).longValue();
  }
}
