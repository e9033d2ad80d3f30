package io.tributary.delta;

import org.apache.flink.table.types.logical.RowType;

/**
 * A row that carries its schema version, for {@link EvolvingDeltaSink}: its values in Flink's
 * internal data formats, laid out by {@link #rowType()}. A newer schema version may add columns
 * (anywhere: the sink matches columns by name); it never drops or retypes one.
 */
public interface EvolvingRow {
  /**
   * The row's schema. Rows of one schema version should return the same instance: the sink
   * compares by identity first and only looks at the fields when the instance changes.
   */
  RowType rowType();

  /** The values, laid out by {@link #rowType()}; not modified by the sink. */
  Object[] values();
}
