package io.tributary.delta;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** Partition values of a row, in partition column order (a usable map key). */
  List<String> values(RowData row) {
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = render(row, positions[i], types[i]);
    }
    return Arrays.asList(values);
  }

  Map<String, String> asMap(List<String> values) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], values.get(i));
    }
    return map;
  }

  /** Relative directory for these values, ending in '/', or "" when unpartitioned. */
  String directory(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      String v = values.get(i);
      sb.append(escape(names[i])).append('=').append(v == null ? NULL_PARTITION : escape(v)).append('/');
    }
    return sb.toString();
  }

  private static String render(RowData row, int pos, LogicalType type) {
    if (row.isNullAt(pos)) {
      return null;
    }
    switch (type.getTypeRoot()) {
      case CHAR:
      case VARCHAR:
        {
          // Delta (like Hive and Spark) cannot tell an empty partition value from null.
          String v = row.getString(pos).toString();
          return v.isEmpty() ? null : v;
        }
      case DATE:
        return LocalDate.ofEpochDay(row.getInt(pos)).toString();
      case TINYINT:
        return Byte.toString(row.getByte(pos));
      case SMALLINT:
        return Short.toString(row.getShort(pos));
      case INTEGER:
        return Integer.toString(row.getInt(pos));
      case BIGINT:
        return Long.toString(row.getLong(pos));
      case BOOLEAN:
        return Boolean.toString(row.getBoolean(pos));
      default:
        throw new IllegalStateException("Unsupported partition type " + type);
    }
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
