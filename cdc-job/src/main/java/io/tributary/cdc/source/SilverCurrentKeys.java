package io.tributary.cdc.source;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.tributary.cdc.silver.PositionDeduplicator;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.log.TableRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * The primary keys a silver table currently shows, by the rule of the documented {@code
 * <table>_current} views: per key the row with the highest {@code (source_commit_lsn,
 * source_seq)}, unless it is a delete. Read with Delta Kernel, projecting only the key and
 * position columns. A job started without state reads them before its new snapshot, so that it can
 * write a delete for every key the snapshot no longer has ({@link PostgresCdcSource}).
 *
 * <p>Key values are Flink's internal values of the silver schema's types, as in {@link SilverRow}.
 * Memory: one entry per key ever written to the table.
 */
final class SilverCurrentKeys {
  private SilverCurrentKeys() {}

  /** A primary key: the key column values in key order, compared by value (arrays too). */
  static final class Key {
    private final Object[] values;

    Key(Object[] values) {
      this.values = values;
    }

    /** The key of a silver row of {@code schema}. */
    static Key of(SilverRow row) {
      List<String> pk = row.schema().source().primaryKey();
      Object[] v = new Object[pk.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = row.values()[row.schema().source().indexOf(pk.get(i))];
      }
      return new Key(v);
    }

    Object[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && Arrays.deepEquals(values, ((Key) o).values);
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
      return Arrays.deepToString(values);
    }
  }

  /**
   * Reads the current keys of the silver table of {@code schema} at {@code tablePath}.
   *
   * @return the keys, empty when the table does not exist yet; empty (with {@code why} set) when
   *     the table has no primary key or a key type this reader does not support
   */
  static Set<Key> read(String tablePath, org.apache.hadoop.conf.Configuration hadoopConf, SilverSchema schema,
      List<String> why) {
    List<String> pk = schema.source().primaryKey();
    if (pk.isEmpty()) {
      why.add("no primary key");
      return new HashSet<>();
    }
    List<LogicalType> keyTypes = new ArrayList<>();
    for (String column : pk) {
      LogicalType t = schema.rowType().getTypeAt(schema.source().indexOf(column));
      if (!supported(t)) {
        why.add("primary key column " + column + " has type " + t + ", which the re-snapshot cannot compare");
        return new HashSet<>();
      }
      keyTypes.add(t);
    }
    Engine engine = DeltaTables.engine(hadoopConf);
    Snapshot snapshot;
    try {
      snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    } catch (TableNotFoundException e) {
      return new HashSet<>();
    }
    StructType tableSchema = snapshot.getSchema();
    StructType readSchema = new StructType();
    for (String column : pk) {
      readSchema = readSchema.add(field(tableSchema, column));
    }
    readSchema = readSchema.add(field(tableSchema, SilverSchema.COMMIT_LSN))
        .add(field(tableSchema, SilverSchema.SEQ))
        .add(field(tableSchema, SilverSchema.IS_DELETED));
    int n = pk.size();
    // Per key: {commit lsn, seq, deleted 0/1} of its latest row.
    Map<Key, long[]> latest = new HashMap<>();
    try {
      TableRows.forEach(engine, snapshot, readSchema, r -> {
        Object[] key = new Object[n];
        for (int i = 0; i < n; i++) {
          key[i] = r.isNullAt(i) ? null : value(r, i, keyTypes.get(i));
        }
        long[] position = {r.getLong(n), r.getLong(n + 1), r.getBoolean(n + 2) ? 1 : 0};
        latest.merge(new Key(key), position, (a, b) -> after(b, a) ? b : a);
      });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the current keys of " + tablePath, e);
    }
    Set<Key> current = new HashSet<>();
    latest.forEach((k, p) -> {
      if (p[2] == 0) {
        current.add(k);
      }
    });
    return current;
  }

  /**
   * The highest {@code source_commit_lsn} in the silver table at {@code tablePath} (reads that one
   * column), or 0 when the table does not exist or has no rows. After an accepted rollback the
   * table may hold changes the slot has not confirmed yet; those must not be written again.
   */
  static long newestCommitLsn(String tablePath, org.apache.hadoop.conf.Configuration hadoopConf) {
    Engine engine = DeltaTables.engine(hadoopConf);
    Snapshot snapshot;
    try {
      snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    } catch (TableNotFoundException e) {
      return 0L;
    }
    long[] newest = {0L};
    try {
      TableRows.forEach(engine, snapshot, new StructType().add(field(snapshot.getSchema(), SilverSchema.COMMIT_LSN)),
          r -> {
            if (!r.isNullAt(0) && Long.compareUnsigned(r.getLong(0), newest[0]) > 0) {
              newest[0] = r.getLong(0);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the newest commit LSN of " + tablePath, e);
    }
    return newest[0];
  }

  private static boolean after(long[] a, long[] b) {
    return PositionDeduplicator.after(a[0], a[1], b[0], b[1]);
  }

  private static StructField field(StructType schema, String name) {
    int i = schema.indexOf(name);
    if (i < 0) {
      throw new IllegalStateException("Silver table lacks column " + name + ": " + schema);
    }
    return schema.at(i);
  }

  private static boolean supported(LogicalType t) {
    switch (t.getTypeRoot()) {
      case BIGINT:
      case INTEGER:
      case SMALLINT:
      case TINYINT:
      case BOOLEAN:
      case DATE:
      case CHAR:
      case VARCHAR:
      case DECIMAL:
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
      case BINARY:
      case VARBINARY:
        return true;
      default:
        return false;
    }
  }

  /** The Flink internal value of column {@code i} of a Kernel row (Kernel: timestamps in micros, dates in days). */
  private static Object value(Row r, int i, LogicalType t) {
    switch (t.getTypeRoot()) {
      case BIGINT:
        return r.getLong(i);
      case INTEGER:
      case DATE:
        return r.getInt(i);
      case SMALLINT:
        return r.getShort(i);
      case TINYINT:
        return r.getByte(i);
      case BOOLEAN:
        return r.getBoolean(i);
      case CHAR:
      case VARCHAR:
        return StringData.fromString(r.getString(i));
      case DECIMAL:
        DecimalType d = (DecimalType) t;
        return DecimalData.fromBigDecimal(r.getDecimal(i), d.getPrecision(), d.getScale());
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return ValueConverter.micros(r.getLong(i));
      case BINARY:
      case VARBINARY:
        return r.getBinary(i);
      default:
        throw new IllegalArgumentException("unsupported key type " + t);
    }
  }
}
