package io.tributary.cdc.silver;

import java.io.Serializable;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * How one PostgreSQL column type is stored in the silver table: a {@link Kind} that drives value
 * conversion and the Flink type the Delta sink writes. Built by {@link PgTypeMapper}.
 */
public final class PgColumnType implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Value conversions; each maps to exactly one Flink type. */
  public enum Kind {
    BOOLEAN,
    SMALLINT,
    INT,
    BIGINT,
    FLOAT,
    DOUBLE,
    /** numeric(p,s) with p &lt;= 38. */
    DECIMAL,
    /** Text-like values: text, varchar, char, uuid, json, jsonb, xml, enums, unconstrained numeric. */
    STRING,
    DATE,
    /** time: ISO local time string {@code HH:mm:ss[.ffffff]} (Delta has no TIME type). */
    TIME,
    /** timestamp without time zone. */
    TIMESTAMP,
    /** timestamp with time zone. */
    TIMESTAMPTZ,
    BYTES,
    ARRAY
  }

  private final String pgType;
  private final Kind kind;
  private final int precision;
  private final int scale;
  private final PgColumnType element;

  PgColumnType(String pgType, Kind kind, int precision, int scale, PgColumnType element) {
    this.pgType = pgType;
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.element = element;
  }

  /** The PostgreSQL type as {@code format_type} prints it, e.g. {@code numeric(10,2)}. */
  public String pgType() {
    return pgType;
  }

  public Kind kind() {
    return kind;
  }

  public int precision() {
    return precision;
  }

  public int scale() {
    return scale;
  }

  /** Element type of an {@link Kind#ARRAY}, else null. */
  public PgColumnType element() {
    return element;
  }

  /** The (nullable) Flink type of the silver column. */
  public LogicalType logicalType() {
    switch (kind) {
      case BOOLEAN:
        return new BooleanType();
      case SMALLINT:
        return new SmallIntType();
      case INT:
        return new IntType();
      case BIGINT:
        return new BigIntType();
      case FLOAT:
        return new FloatType();
      case DOUBLE:
        return new DoubleType();
      case DECIMAL:
        return new DecimalType(precision, scale);
      case STRING:
      case TIME:
        return new VarCharType(VarCharType.MAX_LENGTH);
      case DATE:
        return new DateType();
      case TIMESTAMP:
        return new TimestampType(6);
      case TIMESTAMPTZ:
        return new LocalZonedTimestampType(6);
      case BYTES:
        return new VarBinaryType(VarBinaryType.MAX_LENGTH);
      case ARRAY:
        return new ArrayType(element.logicalType());
      default:
        throw new IllegalStateException(kind.name());
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PgColumnType)) {
      return false;
    }
    PgColumnType t = (PgColumnType) o;
    return t.kind == kind && t.precision == precision && t.scale == scale && t.pgType.equals(pgType);
  }

  @Override
  public int hashCode() {
    return pgType.hashCode() * 31 + kind.hashCode();
  }

  @Override
  public String toString() {
    return pgType + " -> " + logicalType().asSummaryString();
  }
}
