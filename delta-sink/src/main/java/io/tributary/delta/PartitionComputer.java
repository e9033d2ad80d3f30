package io.tributary.delta;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.flink.table.data.StringData;
import java.util.Map;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Reads the partition values of a row and names its partition directory. Values are rendered as
 * the Delta protocol stores them in {@code add.partitionValues} (dates as {@code yyyy-MM-dd},
 * numbers in decimal, booleans as {@code true}/{@code false}); directories are Hive style
 * ({@code event_date=2024-05-01/}) with special characters escaped. An empty string is stored as
 * null, as Spark does: the Delta log and Hive directories cannot represent both.
 */
final class PartitionComputer implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Directory name Hive, Spark and Delta use for a null partition value. */
  static final String NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__";

  private final String[] names;
  private final int[] positions;
  private final LogicalType[] types;

  PartitionComputer(RowType rowType, List<String> partitionColumns) {
    this.names = partitionColumns.toArray(new String[0]);
    this.positions = new int[names.length];
    this.types = new LogicalType[names.length];
    for (int i = 0; i < names.length; i++) {
      positions[i] = rowType.getFieldIndex(names[i]);
      types[i] = rowType.getTypeAt(positions[i]);
    }
  }

  boolean isPartitioned() {
    return names.length > 0;
  }

  /**
   * Identity of a row's partition by its raw values, so the per-row path neither renders strings
   * nor allocates when consecutive rows share a partition (see {@link #matches}).
   */
  static final class Key {
    private final Object[] values;
    private final int hash;

    private Key(Object[] values) {
      this.values = values;
      this.hash = java.util.Arrays.hashCode(values);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && hash == ((Key) o).hash && java.util.Arrays.equals(values, ((Key) o).values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final Key UNPARTITIONED = new Key(new Object[0]);

  /** The partition of a row. Copies string values: rows may be reused by the caller. */
  Key key(RowData row) {
    if (names.length == 0) {
      return UNPARTITIONED;
    }
    Object[] values = new Object[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = raw(row, positions[i], types[i]);
    }
    return new Key(values);
  }

  /** Whether the row belongs to {@code key}'s partition, without allocating. */
  boolean matches(Key key, RowData row) {
    for (int i = 0; i < names.length; i++) {
      Object v = key.values[i];
      int pos = positions[i];
      if (row.isNullAt(pos)) {
        if (v != null) {
          return false;
        }
        continue;
      }
      if (v == null) {
        return false;
      }
      switch (types[i].getTypeRoot()) {
        case CHAR:
        case VARCHAR:
          if (!v.equals(row.getString(pos))) {
            return false;
          }
          break;
        case DATE:
        case INTEGER:
          if ((Integer) v != row.getInt(pos)) {
            return false;
          }
          break;
        default:
          if (!v.equals(raw(row, pos, types[i]))) {
            return false;
          }
      }
    }
    return true;
  }

  /** Partition values as the Delta log stores them, in partition column order. */
  Map<String, String> render(Key key) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], render(key.values[i], types[i]));
    }
    return map;
  }

  private static Object raw(RowData row, int pos, LogicalType type) {
    if (row.isNullAt(pos)) {
      return null;
    }
    switch (type.getTypeRoot()) {
      case CHAR:
      case VARCHAR:
        {
          // Delta (like Hive and Spark) cannot tell an empty partition value from null.
          String s = row.getString(pos).toString();
          return s.isEmpty() ? null : StringData.fromString(s);
        }
      case DATE:
      case INTEGER:
        return row.getInt(pos);
      case TINYINT:
        return row.getByte(pos);
      case SMALLINT:
        return row.getShort(pos);
      case BIGINT:
        return row.getLong(pos);
      case BOOLEAN:
        return row.getBoolean(pos);
      default:
        throw new IllegalStateException("Unsupported partition type " + type);
    }
  }

  private static String render(Object v, LogicalType type) {
    if (v == null) {
      return null;
    }
    return type.getTypeRoot() == org.apache.flink.table.types.logical.LogicalTypeRoot.DATE
        ? LocalDate.ofEpochDay((Integer) v).toString()
        : v.toString();
  }

  /** Relative directory for rendered values, ending in '/', or "" when unpartitioned. */
  static String directory(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String v = e.getValue();
      sb.append(escape(e.getKey())).append('=').append(v == null ? NULL_PARTITION : escape(v)).append('/');
    }
    return sb.toString();
  }

  /** Hive's path escaping: control characters and the characters listed below become %XX. */
  static String escape(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        sb.append('%').append(String.format("%02X", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
