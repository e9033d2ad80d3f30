package io.tributary.cli.local;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The local run's warehouse compared with its source: the source table's rows against the
 * warehouse's {@code <table>_current} view, row by row, every source column as PostgreSQL prints it.
 */
public final class WarehouseCheck {
  private final long sourceRows;
  private final long warehouseRows;
  private final long differing;
  private final String example;

  private WarehouseCheck(long sourceRows, long warehouseRows, long differing, String example) {
    this.sourceRows = sourceRows;
    this.warehouseRows = warehouseRows;
    this.differing = differing;
    this.example = example;
  }

  /** Compares {@code source.<table>} with {@code warehouse.<table>_current} by the first column (the key). */
  static WarehouseCheck compare(Connection source, Connection warehouse, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement st = source.prepareStatement("SELECT column_name FROM information_schema.columns "
        + "WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position")) {
      st.setString(1, table);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          columns.add("\"" + rs.getString(1) + "\"::text");
        }
      }
    }
    String select = "SELECT " + String.join(", ", columns) + " FROM ";
    Map<String, List<String>> expected = rows(source, select + "public.\"" + table + "\"");
    Map<String, List<String>> actual = rows(warehouse, select + "public.\"" + table + "_current\"");
    long differing = 0;
    String example = null;
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      if (!Objects.equals(e.getValue(), actual.get(e.getKey()))) {
        differing++;
        example = example != null ? example : "source " + e.getValue() + ", warehouse " + actual.get(e.getKey());
      }
    }
    for (String key : actual.keySet()) {
      if (!expected.containsKey(key)) {
        differing++;
        example = example != null ? example : "warehouse only " + actual.get(key);
      }
    }
    return new WarehouseCheck(expected.size(), actual.size(), differing, example);
  }

  private static Map<String, List<String>> rows(Connection c, String sql) throws SQLException {
    Map<String, List<String>> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.put(row.get(0), row);
      }
    }
    return out;
  }

  /** True when both hold the same rows. */
  public boolean equal() {
    return differing == 0;
  }

  public long sourceRows() {
    return sourceRows;
  }

  public long warehouseRows() {
    return warehouseRows;
  }

  @Override
  public String toString() {
    return equal()
        ? String.format("%,d rows in orders_current, equal to the source orders table row by row", warehouseRows)
        : String.format("%,d rows in orders_current, %,d in the source: %,d rows differ (e.g. %s)", warehouseRows,
            sourceRows, differing, example);
  }
}
