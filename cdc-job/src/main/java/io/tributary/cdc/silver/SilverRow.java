package io.tributary.cdc.silver;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;

/**
 * One change of one captured table, ready for its silver table: the values in Flink's internal
 * data formats laid out by {@link #schema()}, plus the source position used to drop replays.
 *
 * <p>The position {@code (commitLsn, seq)} is strictly increasing per table: {@code commitLsn} is
 * the end LSN of the source transaction (transactions arrive in commit order), {@code seq} the
 * change's index within it. Snapshot rows share the slot's consistent point as {@code commitLsn}
 * and are numbered by {@code seq}.
 */
@TypeInfo(SilverRowTypeInfo.Factory.class)
public final class SilverRow implements io.tributary.delta.EvolvingRow {
  private final SilverSchema schema;
  private final long commitLsn;
  private final long seq;
  private final Object[] values;

  public SilverRow(SilverSchema schema, long commitLsn, long seq, Object[] values) {
    this.schema = Objects.requireNonNull(schema);
    this.commitLsn = commitLsn;
    this.seq = seq;
    this.values = Objects.requireNonNull(values);
    if (values.length != schema.width()) {
      throw new IllegalArgumentException("row of " + values.length + " values for " + schema);
    }
  }

  public SilverSchema schema() {
    return schema;
  }

  public TableName table() {
    return schema.table();
  }

  public long commitLsn() {
    return commitLsn;
  }

  public long seq() {
    return seq;
  }

  /** The schema's row type (one instance per schema version). */
  @Override
  public org.apache.flink.table.types.logical.RowType rowType() {
    return schema.rowType();
  }

  /** The values; do not modify. */
  @Override
  public Object[] values() {
    return values;
  }

  public Object value(String column) {
    int i = schema.fieldNames().indexOf(column);
    return i < 0 ? null : values[i];
  }

  /** True when this row's position is after {@code (commitLsn, seq)}. */
  public boolean isAfter(long otherCommitLsn, long otherSeq) {
    int c = Long.compareUnsigned(commitLsn, otherCommitLsn);
    return c > 0 || (c == 0 && Long.compareUnsigned(seq, otherSeq) > 0);
  }

  /** The row for the Delta sink (shares the value array). */
  public RowData toRowData() {
    return GenericRowData.of(values);
  }

  @Override
  public String toString() {
    return schema.table() + "@" + Lsns.format(commitLsn) + "#" + seq;
  }
}
