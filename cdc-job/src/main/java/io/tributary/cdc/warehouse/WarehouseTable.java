package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.PgColumnType;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The warehouse table of one captured table at one silver schema version: every source column
 * (nullable, type by {@link WarehouseDialect#columnType}), then the position and tombstone columns.
 * The primary key is the source's. Columns a later schema version adds are appended.
 */
public final class WarehouseTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** End LSN of the source transaction of the row's last change (as in the silver table). */
  public static final String COMMIT_LSN = SilverSchema.COMMIT_LSN;
  /** Index of that change within its transaction. */
  public static final String SEQ = SilverSchema.SEQ;
  /** Commit time of that change in the source. */
  public static final String COMMIT_TS = SilverSchema.COMMIT_TS;
  /** True when the last change deleted the row: a tombstone, hidden by the {@code _current} view. */
  public static final String DELETED = "_deleted";
  /** When the warehouse row was last written. */
  public static final String UPDATED_AT = "_updated_at";

  /** The columns after the source columns, in order. */
  public static final List<String> METADATA_COLUMNS = List.of(COMMIT_LSN, SEQ, COMMIT_TS, DELETED, UPDATED_AT);

  private final String schema;
  private final String name;
  private final SilverSchema silver;

  public WarehouseTable(String schema, SilverSchema silver) {
    this.schema = schema;
    this.name = nameOf(silver.table());
    this.silver = silver;
  }

  /** The warehouse table's name: the source table's, prefixed by its schema outside {@code public}. */
  public static String nameOf(TableName table) {
    return "public".equals(table.schema()) ? table.table() : table.schema() + "_" + table.table();
  }

  public String schema() {
    return schema;
  }

  public String name() {
    return name;
  }

  public SilverSchema silver() {
    return silver;
  }

  public List<SourceTable.Column> sourceColumns() {
    return silver.source().columns();
  }

  public List<String> primaryKey() {
    return silver.source().primaryKey();
  }

  /** Every column name in table order. */
  public List<String> columnNames() {
    List<String> names = new ArrayList<>();
    for (SourceTable.Column c : sourceColumns()) {
      names.add(c.name());
    }
    names.addAll(METADATA_COLUMNS);
    return Collections.unmodifiableList(names);
  }

  /** The source columns that are not part of the key. */
  public List<String> nonKeyColumns() {
    List<String> names = new ArrayList<>();
    for (SourceTable.Column c : sourceColumns()) {
      if (!primaryKey().contains(c.name())) {
        names.add(c.name());
      }
    }
    return names;
  }

  /** The source type of a source column. */
  public PgColumnType typeOf(String column) {
    return sourceColumns().get(silver.source().indexOf(column)).type();
  }

  /** Problems that keep this table from the warehouse (no key, a clash with a metadata column). */
  public List<String> problems(WarehouseDialect dialect) {
    List<String> problems = new ArrayList<>();
    if (primaryKey().isEmpty()) {
      problems.add(silver.table() + " has no primary key: its current state has no key to upsert by");
    }
    for (SourceTable.Column c : sourceColumns()) {
      if (METADATA_COLUMNS.contains(c.name())) {
        problems.add("column " + silver.table() + "." + c.name() + " clashes with the warehouse column of that name");
      }
      try {
        dialect.columnType(c.type());
      } catch (IllegalArgumentException e) {
        problems.add("column " + silver.table() + "." + c.name() + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /** Quotes an identifier for SQL. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The qualified, quoted table name. */
  public String quoted() {
    return quote(schema) + "." + quote(name);
  }

  /** The qualified, quoted name of the view without tombstones. */
  public String quotedView() {
    return quote(schema) + "." + quote(name + "_current");
  }

  @Override
  public String toString() {
    return schema + "." + name + " v" + silver.version();
  }
}
