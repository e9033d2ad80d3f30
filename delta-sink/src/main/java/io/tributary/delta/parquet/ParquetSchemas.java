package io.tributary.delta.parquet;

import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Parquet schema for a Flink row type, following the layout Spark and Delta write (so any Delta
 * reader decodes it): decimals by precision, timestamps as INT64 micros adjusted to UTC, 3-level
 * lists and {@code key_value} maps. The mapping of types is documented on {@link
 * io.tributary.delta.DeltaTypes}.
 */
public final class ParquetSchemas {
  private ParquetSchemas() {}

  /** Largest decimal precision stored as INT32 / INT64. */
  static final int MAX_INT_DIGITS = 9;

  static final int MAX_LONG_DIGITS = 18;

  public static MessageType toMessageType(RowType rowType) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (RowType.RowField f : rowType.getFields()) {
      builder.addField(toType(f.getName(), f.getType()));
    }
    return builder.named("spark_schema");
  }

  static Type toType(String name, LogicalType type) {
    Repetition rep = type.isNullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(name);
      case TINYINT:
        return Types.primitive(PrimitiveTypeName.INT32, rep)
            .as(LogicalTypeAnnotation.intType(8, true))
            .named(name);
      case SMALLINT:
        return Types.primitive(PrimitiveTypeName.INT32, rep)
            .as(LogicalTypeAnnotation.intType(16, true))
            .named(name);
      case INTEGER:
        return Types.primitive(PrimitiveTypeName.INT32, rep).named(name);
      case BIGINT:
        return Types.primitive(PrimitiveTypeName.INT64, rep).named(name);
      case FLOAT:
        return Types.primitive(PrimitiveTypeName.FLOAT, rep).named(name);
      case DOUBLE:
        return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(name);
      case DECIMAL:
        {
          DecimalType d = (DecimalType) type;
          LogicalTypeAnnotation ann =
              LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision());
          if (d.getPrecision() <= MAX_INT_DIGITS) {
            return Types.primitive(PrimitiveTypeName.INT32, rep).as(ann).named(name);
          }
          if (d.getPrecision() <= MAX_LONG_DIGITS) {
            return Types.primitive(PrimitiveTypeName.INT64, rep).as(ann).named(name);
          }
          return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
              .length(decimalBytes(d.getPrecision()))
              .as(ann)
              .named(name);
        }
      case CHAR:
      case VARCHAR:
        return Types.primitive(PrimitiveTypeName.BINARY, rep)
            .as(LogicalTypeAnnotation.stringType())
            .named(name);
      case BINARY:
      case VARBINARY:
        return Types.primitive(PrimitiveTypeName.BINARY, rep).named(name);
      case DATE:
        return Types.primitive(PrimitiveTypeName.INT32, rep)
            .as(LogicalTypeAnnotation.dateType())
            .named(name);
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return Types.primitive(PrimitiveTypeName.INT64, rep)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
            .named(name);
      case ROW:
        {
          Types.GroupBuilder<org.apache.parquet.schema.GroupType> g = Types.buildGroup(rep);
          for (RowType.RowField f : ((RowType) type).getFields()) {
            g.addField(toType(f.getName(), f.getType()));
          }
          return g.named(name);
        }
      case ARRAY:
        {
          LogicalType element = ((ArrayType) type).getElementType();
          return Types.buildGroup(rep)
              .as(LogicalTypeAnnotation.listType())
              .addField(Types.repeatedGroup().addField(toType("element", element)).named("list"))
              .named(name);
        }
      case MAP:
        {
          MapType m = (MapType) type;
          // Map keys are never null in Parquet or Delta.
          return Types.buildGroup(rep)
              .as(LogicalTypeAnnotation.mapType())
              .addField(
                  Types.repeatedGroup()
                      .addField(toType("key", m.getKeyType().copy(false)))
                      .addField(toType("value", m.getValueType()))
                      .named("key_value"))
              .named(name);
        }
      default:
        throw new IllegalArgumentException(
            "No Parquet mapping for " + type.asSummaryString() + " (column " + name + ")");
    }
  }

  /** Smallest number of bytes that holds any unscaled value of the given precision. */
  static int decimalBytes(int precision) {
    int bytes = 1;
    while (Math.pow(2.0, 8 * bytes - 1) < Math.pow(10.0, precision)) {
      bytes++;
    }
    return bytes;
  }
}
