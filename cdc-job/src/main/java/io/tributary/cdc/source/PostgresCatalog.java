package io.tributary.cdc.source;

import io.tributary.cdc.silver.PgColumnType;
import io.tributary.cdc.silver.PgTypeMapper;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a captured table's schema from {@code pg_catalog}. Unsupported column types are collected
 * (not thrown one by one) so that a start-up error names every offending column.
 */
public final class PostgresCatalog {
  private static final String COLUMNS =
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS formatted, t.typname, t.typtype,"
          + " a.atttypmod, et.typname AS elem_typname, et.typtype AS elem_typtype, c.relreplident"
          + " FROM pg_attribute a"
          + " JOIN pg_class c ON c.oid = a.attrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " JOIN pg_type t ON t.oid = a.atttypid"
          + " LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem"
          + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped"
          + " ORDER BY a.attnum";
  private static final String PRIMARY_KEY =
      "SELECT a.attname FROM pg_index i"
          + " JOIN pg_class c ON c.oid = i.indrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true"
          + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum"
          + " WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary ORDER BY k.ord";

  private PostgresCatalog() {}

  /**
   * Loads {@code table}.
   *
   * @param problems receives one message per missing table or unsupported column
   * @return the table, empty when it does not exist or has unsupported columns
   */
  public static Optional<SourceTable> load(Connection connection, TableName table, List<String> problems)
      throws SQLException {
    List<SourceTable.Column> columns = new ArrayList<>();
    char replicaIdentity = 'd';
    boolean ok = true;
    try (PreparedStatement st = connection.prepareStatement(COLUMNS)) {
      st.setString(1, table.schema());
      st.setString(2, table.table());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString("attname");
          String formatted = rs.getString("formatted");
          replicaIdentity = rs.getString("relreplident").charAt(0);
          Optional<PgColumnType> type =
              PgTypeMapper.map(
                  rs.getString("typname"),
                  rs.getString("typtype"),
                  formatted,
                  rs.getInt("atttypmod"),
                  rs.getString("elem_typname"),
                  rs.getString("elem_typtype"));
          if (type.isPresent()) {
            columns.add(new SourceTable.Column(name, type.get()));
          } else {
            ok = false;
            problems.add("column " + table + "." + name + " has the unsupported type " + formatted
                + " (cast it in a view or exclude the table; see the type mapping in the cdc-job README)");
          }
        }
      }
    }
    if (columns.isEmpty() && ok) {
      problems.add("table " + table + " does not exist (or has no columns)");
      return Optional.empty();
    }
    List<String> key = new ArrayList<>();
    try (PreparedStatement st = connection.prepareStatement(PRIMARY_KEY)) {
      st.setString(1, table.schema());
      st.setString(2, table.table());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          key.add(rs.getString(1));
        }
      }
    }
    return ok ? Optional.of(new SourceTable(table, columns, key, replicaIdentity)) : Optional.empty();
  }
}
