package io.tributary.delta;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

/**
 * The one place that maps Flink logical types to Delta types.
 *
 * <table>
 *   <caption>Flink to Delta</caption>
 *   <tr><th>Flink</th><th>Delta</th><th>Parquet</th></tr>
 *   <tr><td>BOOLEAN</td><td>boolean</td><td>BOOLEAN</td></tr>
 *   <tr><td>TINYINT</td><td>byte</td><td>INT32 (INT_8)</td></tr>
 *   <tr><td>SMALLINT</td><td>short</td><td>INT32 (INT_16)</td></tr>
 *   <tr><td>INT</td><td>integer</td><td>INT32</td></tr>
 *   <tr><td>BIGINT</td><td>long</td><td>INT64</td></tr>
 *   <tr><td>FLOAT</td><td>float</td><td>FLOAT</td></tr>
 *   <tr><td>DOUBLE</td><td>double</td><td>DOUBLE</td></tr>
 *   <tr><td>DECIMAL(p,s), p &le; 38</td><td>decimal(p,s)</td><td>INT32/INT64/FIXED by p</td></tr>
 *   <tr><td>CHAR, VARCHAR, STRING</td><td>string</td><td>BINARY (UTF8)</td></tr>
 *   <tr><td>BINARY, VARBINARY, BYTES</td><td>binary</td><td>BINARY</td></tr>
 *   <tr><td>DATE</td><td>date</td><td>INT32 (DATE)</td></tr>
 *   <tr><td>TIMESTAMP_LTZ(p)</td><td>timestamp</td><td>INT64 (TIMESTAMP micros, UTC)</td></tr>
 *   <tr><td>TIMESTAMP(p)</td><td>timestamp (wall clock read as UTC)</td><td>INT64 (TIMESTAMP micros, UTC)</td></tr>
 *   <tr><td>ROW</td><td>struct</td><td>group</td></tr>
 *   <tr><td>ARRAY</td><td>array</td><td>LIST (3-level)</td></tr>
 *   <tr><td>MAP</td><td>map</td><td>MAP (key_value)</td></tr>
 * </table>
 *
 * <p>TIMESTAMP without time zone is written as Delta {@code timestamp} with its wall-clock value
 * taken as UTC, not as {@code timestamp_ntz}: the latter needs the {@code timestampNtz} table
 * feature (protocol 3/7), which Athena and Redshift Spectrum cannot read. Sub-microsecond
 * precision is truncated. Every other type (TIME, INTERVAL, MULTISET, RAW, STRUCTURED, ...) is
 * rejected with {@link UnsupportedTypeException} when the sink is built.
 */
public final class DeltaTypes {
  private DeltaTypes() {}

  /** Raised when a column's Flink type has no Delta equivalent. */
  public static final class UnsupportedTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsupportedTypeException(String message) {
      super(message);
    }
  }

  /** Converts a Flink row type to a Delta schema, failing on the first unsupported column. */
  public static StructType toDeltaSchema(RowType rowType) {
    StructType schema = new StructType();
    for (RowType.RowField field : rowType.getFields()) {
      schema =
          schema.add(
              field.getName(),
              toDelta(field.getType(), field.getName()),
              field.getType().isNullable());
    }
    return schema;
  }

  /** Converts one Flink type; {@code path} names the column in error messages. */
  public static DataType toDelta(LogicalType type, String path) {
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return BooleanType.BOOLEAN;
      case TINYINT:
        return ByteType.BYTE;
      case SMALLINT:
        return ShortType.SHORT;
      case INTEGER:
        return IntegerType.INTEGER;
      case BIGINT:
        return LongType.LONG;
      case FLOAT:
        return FloatType.FLOAT;
      case DOUBLE:
        return DoubleType.DOUBLE;
      case DECIMAL:
        {
          org.apache.flink.table.types.logical.DecimalType d =
              (org.apache.flink.table.types.logical.DecimalType) type;
          return new DecimalType(d.getPrecision(), d.getScale());
        }
      case CHAR:
      case VARCHAR:
        return StringType.STRING;
      case BINARY:
      case VARBINARY:
        return BinaryType.BINARY;
      case DATE:
        return DateType.DATE;
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return TimestampType.TIMESTAMP;
      case ROW:
        {
          List<StructField> fields = new ArrayList<>();
          for (RowType.RowField f : ((RowType) type).getFields()) {
            fields.add(
                new StructField(
                    f.getName(), toDelta(f.getType(), path + "." + f.getName()), f.getType().isNullable()));
          }
          return new StructType(fields);
        }
      case ARRAY:
        {
          LogicalType element = ((org.apache.flink.table.types.logical.ArrayType) type).getElementType();
          return new ArrayType(toDelta(element, path + "[]"), element.isNullable());
        }
      case MAP:
        {
          org.apache.flink.table.types.logical.MapType m =
              (org.apache.flink.table.types.logical.MapType) type;
          return new MapType(
              toDelta(m.getKeyType(), path + ".key"),
              toDelta(m.getValueType(), path + ".value"),
              m.getValueType().isNullable());
        }
      default:
        throw new UnsupportedTypeException(
            "Column '"
                + path
                + "' has Flink type "
                + type.asSummaryString()
                + ", which the Delta sink cannot write. Supported: BOOLEAN, TINYINT, SMALLINT, INT,"
                + " BIGINT, FLOAT, DOUBLE, DECIMAL(p<=38), CHAR/VARCHAR/STRING, BINARY/VARBINARY/BYTES,"
                + " DATE, TIMESTAMP, TIMESTAMP_LTZ, ROW, ARRAY, MAP. Cast the column first (for"
                + " example TIME to STRING or BIGINT).");
    }
  }

  /** True for the types a partition column may have (stored as strings in the Delta log). */
  public static boolean isPartitionable(DataType type) {
    return type instanceof StringType
        || type instanceof DateType
        || type instanceof IntegerType
        || type instanceof LongType
        || type instanceof ShortType
        || type instanceof ByteType
        || type instanceof BooleanType;
  }
}
