package io.tributary.cdc.warehouse;

import static io.tributary.cdc.warehouse.WarehouseTable.quote;

import io.tributary.cdc.silver.PgColumnType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SQL of one kind of warehouse. Every write is guarded by the source position: a change is
 * applied only when it is newer than the row's {@code (source_commit_lsn, source_seq)}, so a
 * replayed or reordered change never moves a row back in time. Deletes are written as tombstones
 * (key, position, {@code _deleted = true}, other columns null) under the same guard; the
 * {@code <table>_current} view hides them.
 *
 * <p>A batch of changes is written as: {@link #beforeRows}, then {@link #rowStatement} once per
 * change (one JDBC batch; parameters bound by {@link RowBinder}), then {@link #afterRows}.
 */
public abstract class WarehouseDialect implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The dialect of {@link WarehouseOptions#DIALECT}: {@code postgres} or {@code redshift}. */
  public static WarehouseDialect named(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "postgres":
      case "postgresql":
        return new Postgres();
      case "redshift":
        return new Redshift();
      default:
        throw new IllegalArgumentException("unknown dialect '" + name + "' (postgres or redshift)");
    }
  }

  /**
   * The warehouse type of a source column.
   *
   * @throws IllegalArgumentException when the warehouse has no type for it
   */
  public abstract String columnType(PgColumnType type);

  /** The parameter marker of a column of {@code type} in {@link #rowStatement} (arrays are cast from text). */
  String marker(PgColumnType type) {
    return type.kind() == PgColumnType.Kind.ARRAY ? "CAST(? AS " + columnType(type) + ")" : "?";
  }

  /** The expression of {@link WarehouseTable#UPDATED_AT}. */
  abstract String now();

  /** The SQL types both dialects spell alike; {@code unsupported} is the error for any other kind. */
  static String sharedType(PgColumnType type, String unsupported) {
    switch (type.kind()) {
      case BOOLEAN:
        return "BOOLEAN";
      case SMALLINT:
        return "SMALLINT";
      case INT:
        return "INTEGER";
      case BIGINT:
        return "BIGINT";
      case FLOAT:
        return "REAL";
      case DOUBLE:
        return "DOUBLE PRECISION";
      case DECIMAL:
        return "NUMERIC(" + type.precision() + "," + type.scale() + ")";
      case DATE:
        return "DATE";
      case TIME:
        return "TIME";
      case TIMESTAMP:
        return "TIMESTAMP";
      case TIMESTAMPTZ:
        return "TIMESTAMPTZ";
      default:
        throw new IllegalArgumentException(unsupported);
    }
  }

  public String createSchema(String schema) {
    return "CREATE SCHEMA IF NOT EXISTS " + quote(schema);
  }

  /** Creates the table when absent. */
  public String createTable(WarehouseTable t) {
    StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(t.quoted()).append(" (");
    for (var c : t.sourceColumns()) {
      sql.append(quote(c.name())).append(' ').append(columnType(c.type()));
      if (t.primaryKey().contains(c.name())) {
        sql.append(" NOT NULL");
      }
      sql.append(", ");
    }
    sql.append(quote(WarehouseTable.COMMIT_LSN)).append(" BIGINT NOT NULL, ")
        .append(quote(WarehouseTable.SEQ)).append(" BIGINT NOT NULL, ")
        .append(quote(WarehouseTable.COMMIT_TS)).append(' ').append(timestamptz()).append(", ")
        .append(quote(WarehouseTable.DELETED)).append(" BOOLEAN NOT NULL, ")
        .append(quote(WarehouseTable.UPDATED_AT)).append(' ').append(timestamptz()).append(" NOT NULL, ")
        .append("PRIMARY KEY (").append(list(t.primaryKey(), "")).append("))");
    return sql.toString();
  }

  String timestamptz() {
    return "TIMESTAMPTZ";
  }

  /** Adds a source column a later schema version has. */
  public abstract String addColumn(WarehouseTable t, String column);

  /** The view of the current rows: the table without tombstones. */
  public String createView(WarehouseTable t) {
    return "CREATE OR REPLACE VIEW " + t.quotedView() + " AS SELECT * FROM " + t.quoted() + " WHERE NOT "
        + quote(WarehouseTable.DELETED);
  }

  /** Statements run once per connection and schema version, before the first batch. */
  public List<String> prepare(WarehouseTable t) {
    return List.of();
  }

  /** Statements run before each batch. */
  public List<String> beforeRows(WarehouseTable t) {
    return List.of();
  }

  /** The statement executed once per change of a batch. */
  public abstract String rowStatement(WarehouseTable t);

  /** Statements run after each batch. */
  public List<String> afterRows(WarehouseTable t) {
    return List.of();
  }

  /** True when a batch must hold at most one change per key (the newest). */
  public boolean collapsesBatch() {
    return false;
  }

  /** Every column of {@code t} in table order, then the parameter markers of {@link #rowStatement}. */
  String columnList(WarehouseTable t) {
    return list(t.columnNames(), "");
  }

  String valueMarkers(WarehouseTable t) {
    List<String> markers = new ArrayList<>();
    for (var c : t.sourceColumns()) {
      markers.add(marker(c.type()));
    }
    markers.add("?"); // source_commit_lsn
    markers.add("?"); // source_seq
    markers.add("?"); // source_commit_ts
    markers.add("?"); // _deleted
    markers.add(now());
    return String.join(", ", markers);
  }

  /** The columns a newer change overwrites: all but the key. */
  List<String> updatedColumns(WarehouseTable t) {
    List<String> cols = new ArrayList<>(t.nonKeyColumns());
    cols.addAll(WarehouseTable.METADATA_COLUMNS);
    return cols;
  }

  static String list(List<String> columns, String qualifier) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      out.add(qualifier + quote(c));
    }
    return String.join(", ", out);
  }

  static String keyMatch(WarehouseTable t, String left, String right) {
    List<String> out = new ArrayList<>();
    for (String k : t.primaryKey()) {
      out.add(left + "." + quote(k) + " = " + right + "." + quote(k));
    }
    return String.join(" AND ", out);
  }

  /** {@code (old.lsn, old.seq) < (new.lsn, new.seq)} spelled without row comparison. */
  static String newer(String oldAlias, String newAlias) {
    String lsn = quote(WarehouseTable.COMMIT_LSN);
    String seq = quote(WarehouseTable.SEQ);
    return "(" + oldAlias + "." + lsn + " < " + newAlias + "." + lsn + " OR (" + oldAlias + "." + lsn + " = "
        + newAlias + "." + lsn + " AND " + oldAlias + "." + seq + " < " + newAlias + "." + seq + "))";
  }

  /** PostgreSQL: {@code INSERT ... ON CONFLICT (key) DO UPDATE ... WHERE <newer>}. */
  static final class Postgres extends WarehouseDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String columnType(PgColumnType type) {
      switch (type.kind()) {
        case STRING:
          return "TEXT";
        case BYTES:
          return "BYTEA";
        case ARRAY:
          return columnType(type.element()) + "[]";
        default:
          return sharedType(type, "no warehouse type for " + type.pgType());
      }
    }

    @Override
    String now() {
      return "now()";
    }

    @Override
    public String addColumn(WarehouseTable t, String column) {
      return "ALTER TABLE " + t.quoted() + " ADD COLUMN IF NOT EXISTS " + quote(column) + " "
          + columnType(t.typeOf(column));
    }

    @Override
    public String rowStatement(WarehouseTable t) {
      List<String> set = new ArrayList<>();
      for (String c : updatedColumns(t)) {
        set.add(quote(c) + " = EXCLUDED." + quote(c));
      }
      return "INSERT INTO " + t.quoted() + " AS w (" + columnList(t) + ") VALUES (" + valueMarkers(t) + ")"
          + " ON CONFLICT (" + list(t.primaryKey(), "") + ") DO UPDATE SET " + String.join(", ", set)
          + " WHERE " + newer("w", "EXCLUDED");
    }

    @Override
    public String toString() {
      return "postgres";
    }
  }

  /**
   * Amazon Redshift: its {@code MERGE} takes neither a condition on {@code WHEN MATCHED} nor a
   * subquery as source, so a batch is staged in a temporary table of the connection, staged
   * changes not newer than the table's row are deleted, and the rest merged.
   */
  static final class Redshift extends WarehouseDialect {
    private static final long serialVersionUID = 1L;

    @Override
    public String columnType(PgColumnType type) {
      switch (type.kind()) {
        case STRING:
          return "VARCHAR(65535)";
        case BYTES:
          return "VARBYTE(1024000)";
        default:
          return sharedType(type, type.pgType() + " has no Redshift type (arrays are not supported)");
      }
    }

    @Override
    String marker(PgColumnType type) {
      return "?";
    }

    @Override
    String now() {
      return "GETDATE()";
    }

    @Override
    public String addColumn(WarehouseTable t, String column) {
      // No IF NOT EXISTS in Redshift: the writer adds only the columns information_schema lacks.
      return "ALTER TABLE " + t.quoted() + " ADD COLUMN " + quote(column) + " " + columnType(t.typeOf(column));
    }

    String stage(WarehouseTable t) {
      return quote("tributary_stage_" + t.name());
    }

    @Override
    public List<String> prepare(WarehouseTable t) {
      // Re-created per schema version: LIKE copies the table's columns as they are now.
      return List.of("DROP TABLE IF EXISTS " + stage(t), "CREATE TEMP TABLE " + stage(t) + " (LIKE " + t.quoted() + ")");
    }

    @Override
    public List<String> beforeRows(WarehouseTable t) {
      return List.of("DELETE FROM " + stage(t));
    }

    @Override
    public String rowStatement(WarehouseTable t) {
      return "INSERT INTO " + stage(t) + " (" + columnList(t) + ") VALUES (" + valueMarkers(t) + ")";
    }

    @Override
    public List<String> afterRows(WarehouseTable t) {
      String s = stage(t);
      List<String> set = new ArrayList<>();
      for (String c : updatedColumns(t)) {
        set.add(quote(c) + " = " + s + "." + quote(c));
      }
      String guard = "DELETE FROM " + s + " USING " + t.quoted() + " w WHERE " + keyMatch(t, s, "w")
          + " AND NOT " + newer("w", s);
      String merge = "MERGE INTO " + t.quoted() + " USING " + s + " ON " + keyMatch(t, t.quoted(), s)
          + " WHEN MATCHED THEN UPDATE SET " + String.join(", ", set)
          + " WHEN NOT MATCHED THEN INSERT (" + columnList(t) + ") VALUES (" + list(t.columnNames(), s + ".") + ")";
      return List.of(guard, merge, "DELETE FROM " + s);
    }

    @Override
    public boolean collapsesBatch() {
      return true;
    }

    @Override
    public String toString() {
      return "redshift";
    }
  }
}
