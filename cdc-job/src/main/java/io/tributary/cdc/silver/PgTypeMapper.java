package io.tributary.cdc.silver;

import io.tributary.cdc.silver.PgColumnType.Kind;
import java.util.Locale;
import java.util.Optional;

/**
 * Maps a PostgreSQL column type (from {@code pg_catalog}) to its silver representation. The
 * mapping is documented in the module README; anything else is unsupported and reported at start.
 */
public final class PgTypeMapper {
  /** Widest DECIMAL Delta (and Flink) can hold. */
  static final int MAX_DECIMAL_PRECISION = 38;

  private PgTypeMapper() {}

  /**
   * @param typname {@code pg_type.typname} (for arrays: of the element, with {@code elementOf})
   * @param typtype {@code pg_type.typtype}: {@code e} for enums
   * @param formatted {@code format_type(atttypid, atttypmod)}
   * @param typmod {@code pg_attribute.atttypmod}
   * @param arrayElementTypname element {@code typname} when the column is an array, else null
   * @param arrayElementTyptype element {@code typtype} when the column is an array, else null
   * @return the mapping, empty when the type is unsupported
   */
  public static Optional<PgColumnType> map(
      String typname,
      String typtype,
      String formatted,
      int typmod,
      String arrayElementTypname,
      String arrayElementTyptype) {
    if (arrayElementTypname != null) {
      Optional<PgColumnType> element =
          scalar(arrayElementTypname, arrayElementTyptype, arrayElementTypname, -1);
      if (!element.isPresent() || element.get().kind() == Kind.BYTES) {
        return Optional.empty();
      }
      return Optional.of(new PgColumnType(formatted, Kind.ARRAY, 0, 0, element.get()));
    }
    return scalar(typname, typtype, formatted, typmod);
  }

  private static Optional<PgColumnType> scalar(String typname, String typtype, String formatted, int typmod) {
    if ("e".equals(typtype)) {
      return Optional.of(new PgColumnType(formatted, Kind.STRING, 0, 0, null));
    }
    switch (typname.toLowerCase(Locale.ROOT)) {
      case "bool":
        return of(formatted, Kind.BOOLEAN);
      case "int2":
        return of(formatted, Kind.SMALLINT);
      case "int4":
        return of(formatted, Kind.INT);
      case "int8":
        return of(formatted, Kind.BIGINT);
      case "float4":
        return of(formatted, Kind.FLOAT);
      case "float8":
        return of(formatted, Kind.DOUBLE);
      case "numeric":
        return Optional.of(numeric(formatted, typmod));
      case "text":
      case "varchar":
      case "bpchar":
      case "name":
      case "uuid":
      case "json":
      case "jsonb":
      case "xml":
        return of(formatted, Kind.STRING);
      case "date":
        return of(formatted, Kind.DATE);
      case "time":
        return of(formatted, Kind.TIME);
      case "timestamp":
        return of(formatted, Kind.TIMESTAMP);
      case "timestamptz":
        return of(formatted, Kind.TIMESTAMPTZ);
      case "bytea":
        return of(formatted, Kind.BYTES);
      default:
        return Optional.empty();
    }
  }

  /**
   * numeric(p,s) with p &lt;= 38 and 0 &lt;= s &lt;= p is a DECIMAL(p,s); unconstrained numeric
   * (and wider ones) are kept exactly as strings, because no fixed DECIMAL holds every value
   * (nor NaN or Infinity).
   */
  private static PgColumnType numeric(String formatted, int typmod) {
    if (typmod >= 4) {
      int precision = ((typmod - 4) >> 16) & 0xffff;
      int scale = (short) ((typmod - 4) & 0xffff);
      if (precision >= 1 && precision <= MAX_DECIMAL_PRECISION && scale >= 0 && scale <= precision) {
        return new PgColumnType(formatted, Kind.DECIMAL, precision, scale, null);
      }
    }
    return new PgColumnType(formatted, Kind.STRING, 0, 0, null);
  }

  private static Optional<PgColumnType> of(String formatted, Kind kind) {
    return Optional.of(new PgColumnType(formatted, kind, 0, 0, null));
  }
}
