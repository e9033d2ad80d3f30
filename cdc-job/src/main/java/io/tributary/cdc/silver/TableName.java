package io.tributary.cdc.silver;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/** A captured PostgreSQL table, {@code schema.table}; unqualified names are in {@code public}. */
public final class TableName implements Serializable, Comparable<TableName> {
  private static final long serialVersionUID = 1L;

  private final String schema;
  private final String table;
  private final String qualified;

  public TableName(String schema, String table) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.table = Objects.requireNonNull(table, "table");
    this.qualified = schema + "." + table;
  }

  /** Parses {@code schema.table} or {@code table} (schema {@code public}); names are lower-cased. */
  public static TableName parse(String qualified) {
    String s = qualified.trim().toLowerCase(Locale.ROOT);
    int dot = s.indexOf('.');
    if (dot < 0) {
      return new TableName("public", s);
    }
    if (dot == 0 || dot == s.length() - 1 || s.indexOf('.', dot + 1) >= 0) {
      throw new IllegalArgumentException("not a table name (schema.table): '" + qualified + "'");
    }
    return new TableName(s.substring(0, dot), s.substring(dot + 1));
  }

  public String schema() {
    return schema;
  }

  public String table() {
    return table;
  }

  /** {@code schema.table}, as Debezium's table include list and our messages spell it. */
  public String qualified() {
    return qualified;
  }

  /** The same name quoted for SQL. */
  public String quoted() {
    return '"' + schema.replace("\"", "\"\"") + "\".\"" + table.replace("\"", "\"\"") + '"';
  }

  @Override
  public int compareTo(TableName o) {
    return qualified().compareTo(o.qualified());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableName && ((TableName) o).qualified.equals(qualified);
  }

  @Override
  public int hashCode() {
    return qualified.hashCode();
  }

  @Override
  public String toString() {
    return qualified();
  }
}
