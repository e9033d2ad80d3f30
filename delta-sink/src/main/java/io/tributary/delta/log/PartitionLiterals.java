package io.tributary.delta.log;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StructType;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/** Typed partition values, as Kernel's write context wants them, from the strings of the log. */
public final class PartitionLiterals {
  private PartitionLiterals() {}

  /** @param values partition column to its log string (null for a null value) */
  public static Map<String, Literal> of(StructType schema, Map<String, String> values) {
    Map<String, Literal> out = new HashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      DataType type = schema.get(e.getKey()).getDataType();
      String v = e.getValue();
      Literal literal;
      if (v == null) {
        literal = Literal.ofNull(type);
      } else if (type instanceof DateType) {
        literal = Literal.ofDate((int) LocalDate.parse(v).toEpochDay());
      } else if (type instanceof IntegerType) {
        literal = Literal.ofInt(Integer.parseInt(v));
      } else if (type instanceof LongType) {
        literal = Literal.ofLong(Long.parseLong(v));
      } else if (type instanceof ShortType) {
        literal = Literal.ofShort(Short.parseShort(v));
      } else if (type instanceof ByteType) {
        literal = Literal.ofByte(Byte.parseByte(v));
      } else if (type instanceof BooleanType) {
        literal = Literal.ofBoolean(Boolean.parseBoolean(v));
      } else {
        literal = Literal.ofString(v);
      }
      out.put(e.getKey(), literal);
    }
    return out;
  }
}
