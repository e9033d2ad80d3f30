package io.tributary.delta.testing;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a whole Delta table through Delta Kernel's own reader (log replay, Parquet, partition
 * values), independently of the sink's write path. Values come back as plain Java objects:
 * dates as epoch days (Integer), timestamps as epoch micros (Long), structs as maps, arrays as
 * lists.
 */
public final class DeltaTestTables {
  private DeltaTestTables() {}

  /** The whole file as UTF-8 text, e.g. a commit file of the log, through its Hadoop file system. */
  public static String readText(org.apache.hadoop.fs.Path path, Configuration conf) throws IOException {
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static Engine engine(Map<String, String> hadoopConf) {
    Configuration conf = new Configuration();
    hadoopConf.forEach(conf::set);
    return DefaultEngine.create(conf);
  }

  public static Snapshot snapshot(String tablePath, Map<String, String> hadoopConf) {
    Engine engine = engine(hadoopConf);
    return Table.forPath(engine, tablePath).getLatestSnapshot(engine);
  }

  private static final java.util.regex.Pattern NUM_RECORDS = java.util.regex.Pattern.compile("\"numRecords\":(\\d+)");

  /**
   * Rows of the latest snapshot, summed from the {@code numRecords} statistics of its add actions:
   * reads the log only, no data file (cheap enough to poll). Fails on a file without statistics
   * (every file the sink writes has them).
   */
  public static long rowCount(String tablePath, Map<String, String> hadoopConf) {
    Engine engine = engine(hadoopConf);
    Scan scan = Table.forPath(engine, tablePath).getLatestSnapshot(engine).getScanBuilder().build();
    long rows = 0;
    try (CloseableIterator<FilteredColumnarBatch> files =
        ((io.delta.kernel.internal.ScanImpl) scan).getScanFiles(engine, true)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row add = fileRows.next().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            String stats = add.isNullAt(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL)
                ? null : add.getString(InternalScanFileUtils.ADD_FILE_STATS_ORDINAL);
            java.util.regex.Matcher m = NUM_RECORDS.matcher(stats == null ? "" : stats);
            if (!m.find()) {
              throw new IllegalStateException("No numRecords in the statistics of a file of " + tablePath + ": " + stats);
            }
            rows += Long.parseLong(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  /** Every row of the latest snapshot, column name to value. */
  public static List<Map<String, Object>> readAll(String tablePath, Map<String, String> hadoopConf) {
    Engine engine = engine(hadoopConf);
    Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType readSchema = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<Map<String, Object>> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            Row scanFile = fileRows.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> physical =
                engine
                    .getParquetHandler()
                    .readParquetFiles(Utils.singletonCloseableIterator(status), readSchema, Optional.empty())
                    .map(r -> r.getData());
            try (CloseableIterator<FilteredColumnarBatch> data =
                Scan.transformPhysicalData(engine, scanState, scanFile, physical)) {
              while (data.hasNext()) {
                try (CloseableIterator<Row> rows = data.next().getRows()) {
                  while (rows.hasNext()) {
                    out.add(toMap(rows.next()));
                  }
                }
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static Map<String, Object> toMap(Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    StructType schema = row.getSchema();
    for (int i = 0; i < schema.length(); i++) {
      StructField f = schema.at(i);
      m.put(f.getName(), row.isNullAt(i) ? null : value(row, i, f.getDataType()));
    }
    return m;
  }

  private static Object value(Row r, int i, DataType t) {
    if (t instanceof LongType || t instanceof TimestampType) {
      return r.getLong(i);
    } else if (t instanceof IntegerType || t instanceof DateType) {
      return r.getInt(i);
    } else if (t instanceof ShortType) {
      return r.getShort(i);
    } else if (t instanceof ByteType) {
      return r.getByte(i);
    } else if (t instanceof BooleanType) {
      return r.getBoolean(i);
    } else if (t instanceof DoubleType) {
      return r.getDouble(i);
    } else if (t instanceof FloatType) {
      return r.getFloat(i);
    } else if (t instanceof DecimalType) {
      return r.getDecimal(i);
    } else if (t instanceof StringType) {
      return r.getString(i);
    } else if (t instanceof BinaryType) {
      return r.getBinary(i);
    } else if (t instanceof StructType) {
      return toMap(r.getStruct(i));
    } else if (t instanceof ArrayType) {
      return list(r.getArray(i).getElements(), r.getArray(i).getSize(), ((ArrayType) t).getElementType());
    } else if (t instanceof MapType) {
      MapValue mv = r.getMap(i);
      MapType mt = (MapType) t;
      List<Object> keys = list(mv.getKeys(), mv.getSize(), mt.getKeyType());
      List<Object> values = list(mv.getValues(), mv.getSize(), mt.getValueType());
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int k = 0; k < keys.size(); k++) {
        out.put(keys.get(k), values.get(k));
      }
      return out;
    }
    throw new IllegalArgumentException("Unhandled type " + t);
  }

  private static List<Object> list(ColumnVector v, int size, DataType t) {
    List<Object> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(v.isNullAt(i) ? null : vectorValue(v, i, t));
    }
    return out;
  }

  private static Object vectorValue(ColumnVector v, int i, DataType t) {
    if (t instanceof LongType || t instanceof TimestampType) {
      return v.getLong(i);
    } else if (t instanceof IntegerType || t instanceof DateType) {
      return v.getInt(i);
    } else if (t instanceof ShortType) {
      return v.getShort(i);
    } else if (t instanceof ByteType) {
      return v.getByte(i);
    } else if (t instanceof BooleanType) {
      return v.getBoolean(i);
    } else if (t instanceof DoubleType) {
      return v.getDouble(i);
    } else if (t instanceof FloatType) {
      return v.getFloat(i);
    } else if (t instanceof DecimalType) {
      return v.getDecimal(i);
    } else if (t instanceof StringType) {
      return v.getString(i);
    } else if (t instanceof BinaryType) {
      return v.getBinary(i);
    } else if (t instanceof ArrayType) {
      ArrayValue a = v.getArray(i);
      return list(a.getElements(), a.getSize(), ((ArrayType) t).getElementType());
    } else if (t instanceof StructType) {
      StructType st = (StructType) t;
      Map<String, Object> m = new LinkedHashMap<>();
      for (int f = 0; f < st.length(); f++) {
        ColumnVector child = v.getChild(f);
        m.put(st.at(f).getName(), child.isNullAt(i) ? null : vectorValue(child, i, st.at(f).getDataType()));
      }
      return m;
    }
    throw new IllegalArgumentException("Unhandled type " + t);
  }
}
