package io.tributary.delta.log;

import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

/** Delta schemas in their log JSON form, as writers hand them to the committer. */
public final class SchemaJson {
  private SchemaJson() {}

  public static String toJson(StructType schema) {
    return DataTypeJsonSerDe.serializeStructType(schema);
  }

  public static StructType parse(String json) {
    return DataTypeJsonSerDe.deserializeStructType(json);
  }

  /**
   * {@code a} with the columns of {@code b} it lacks (by name, ignoring case) appended; either may
   * be null (absent).
   */
  public static String widen(String a, String b) {
    if (a == null || a.equals(b)) {
      return b == null ? a : b;
    }
    if (b == null) {
      return a;
    }
    StructType wide = parse(a);
    for (StructField f : parse(b).fields()) {
      if (DeltaLog.field(wide, f.getName()) == null) {
        wide = wide.add(f);
      }
    }
    return toJson(wide);
  }
}
