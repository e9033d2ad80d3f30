package io.tributary.cdc.silver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** A captured table's columns (in {@code attnum} order), primary key and replica identity. */
public final class SourceTable implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One source column and how it is stored. */
  public static final class Column implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final PgColumnType type;

    public Column(String name, PgColumnType type) {
      this.name = Objects.requireNonNull(name);
      this.type = Objects.requireNonNull(type);
    }

    public String name() {
      return name;
    }

    public PgColumnType type() {
      return type;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Column && ((Column) o).name.equals(name) && ((Column) o).type.equals(type);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name + " " + type;
    }
  }

  private final TableName name;
  private final List<Column> columns;
  private final List<String> primaryKey;
  private final char replicaIdentity;

  public SourceTable(TableName name, List<Column> columns, List<String> primaryKey, char replicaIdentity) {
    this.name = name;
    this.columns = Collections.unmodifiableList(new ArrayList<>(columns));
    this.primaryKey = Collections.unmodifiableList(new ArrayList<>(primaryKey));
    this.replicaIdentity = replicaIdentity;
  }

  public TableName name() {
    return name;
  }

  public List<Column> columns() {
    return columns;
  }

  /** Primary key column names in key order; empty for a table without one. */
  public List<String> primaryKey() {
    return primaryKey;
  }

  /** {@code pg_class.relreplident}: d(efault), f(ull), n(othing) or i(ndex). */
  public char replicaIdentity() {
    return replicaIdentity;
  }

  public int indexOf(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceTable
        && ((SourceTable) o).name.equals(name)
        && ((SourceTable) o).columns.equals(columns)
        && ((SourceTable) o).primaryKey.equals(primaryKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + columns.hashCode();
  }

  @Override
  public String toString() {
    return name + columns.toString();
  }
}
