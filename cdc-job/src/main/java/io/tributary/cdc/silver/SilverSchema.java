package io.tributary.cdc.silver;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * The layout of one silver table: every source column (nullable), then the CDC metadata and ETL
 * columns. Immutable; a new instance (higher {@link #version()}) follows an {@code ADD COLUMN}.
 */
public final class SilverSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String OP = "op";
  public static final String COMMIT_LSN = "source_commit_lsn";
  public static final String EVENT_LSN = "source_lsn";
  public static final String SEQ = "source_seq";
  public static final String TXID = "source_txid";
  public static final String COMMIT_TS = "source_commit_ts";
  public static final String IS_DELETED = "is_deleted";
  public static final String ETL_TIMESTAMP = "etl_timestamp";
  public static final String EVENT_DATE = "event_date";
  public static final String SOURCE_FILENAME = "source_filename";

  /** Metadata and ETL columns, in order, after the source columns. */
  public static final List<String> METADATA_COLUMNS =
      Collections.unmodifiableList(
          Arrays.asList(
              OP, COMMIT_LSN, EVENT_LSN, SEQ, TXID, COMMIT_TS, IS_DELETED, ETL_TIMESTAMP, EVENT_DATE,
              SOURCE_FILENAME));

  private static final LogicalType[] METADATA_TYPES = {
    new VarCharType(false, 1),
    new BigIntType(false),
    new BigIntType(),
    new BigIntType(false),
    new BigIntType(),
    new LocalZonedTimestampType(6),
    new BooleanType(false),
    new LocalZonedTimestampType(false, 6),
    new DateType(false),
    new VarCharType(false, VarCharType.MAX_LENGTH)
  };

  private final SourceTable source;
  private final int version;
  private transient RowType rowType;

  public SilverSchema(SourceTable source, int version) {
    this.source = source;
    this.version = version;
  }

  public SourceTable source() {
    return source;
  }

  public TableName table() {
    return source.name();
  }

  public int version() {
    return version;
  }

  public int sourceColumnCount() {
    return source.columns().size();
  }

  public int width() {
    return source.columns().size() + METADATA_COLUMNS.size();
  }

  /** Index of a metadata column in a row of this schema. */
  public int metadataIndex(String column) {
    return source.columns().size() + METADATA_COLUMNS.indexOf(column);
  }

  /** Column names in row order. */
  public List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    for (SourceTable.Column c : source.columns()) {
      names.add(c.name());
    }
    names.addAll(METADATA_COLUMNS);
    return names;
  }

  /** The Flink row type the Delta sink writes. */
  public RowType rowType() {
    if (rowType == null) {
      List<RowType.RowField> fields = new ArrayList<>();
      for (SourceTable.Column c : source.columns()) {
        fields.add(new RowType.RowField(c.name(), c.type().logicalType()));
      }
      for (int i = 0; i < METADATA_COLUMNS.size(); i++) {
        fields.add(new RowType.RowField(METADATA_COLUMNS.get(i), METADATA_TYPES[i]));
      }
      rowType = new RowType(fields);
    }
    return rowType;
  }

  /** Source columns whose names clash with a metadata column (must be empty to start). */
  public List<String> clashingColumns() {
    List<String> out = new ArrayList<>();
    for (SourceTable.Column c : source.columns()) {
      if (METADATA_COLUMNS.contains(c.name())) {
        out.add(c.name());
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SilverSchema && ((SilverSchema) o).source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return "SilverSchema{" + source + ", v" + version + "}";
  }
}
