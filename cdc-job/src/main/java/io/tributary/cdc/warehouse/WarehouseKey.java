package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.SilverRow;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * The primary key of a change as a string, for {@code keyBy}: one writer owns a key, so the
 * changes of a key reach the warehouse in source order from one connection.
 */
public final class WarehouseKey implements KeySelector<SilverRow, String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String getKey(SilverRow row) {
    return of(row);
  }

  /** The key columns' values, joined by a separator no text value is split at ambiguously. */
  static String of(SilverRow row) {
    List<String> key = row.schema().source().primaryKey();
    StringBuilder b = new StringBuilder();
    for (String column : key) {
      Object v = row.value(column);
      String s = v instanceof byte[] ? Arrays.toString((byte[]) v) : String.valueOf(v);
      // Length-prefixed: ("a|", "b") and ("a", "|b") stay different keys.
      b.append(s.length()).append(':').append(s);
    }
    return b.toString();
  }
}
