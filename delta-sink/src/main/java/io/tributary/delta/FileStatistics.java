package io.tributary.delta;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;

/**
 * Turns a Parquet footer into Delta per-file statistics (numRecords, minValues, maxValues,
 * nullCount) for the leading top-level primitive columns, reading nothing but the footer the
 * writer already holds.
 *
 * <p>Bounds are kept valid for data skipping: string minimums are truncated to a prefix (still a
 * lower bound) and string maximums to a prefix followed by a tie-breaker character that keeps it an
 * upper bound ({@link #upperBound}); timestamp maximums are rounded up to the millisecond because
 * the Delta log stores milliseconds; a NaN or missing bound omits the column's min/max. Booleans,
 * binaries and nested columns get no min/max.
 */
public final class FileStatistics {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final StructType dataSchema;
  private final int numIndexedCols;
  private final int stringPrefix;

  /**
   * @param dataSchema Delta schema of the columns stored in the file (no partition columns)
   * @param numIndexedCols how many leading columns get statistics; -1 for all
   * @param stringPrefix maximum characters of a string bound
   */
  public FileStatistics(StructType dataSchema, int numIndexedCols, int stringPrefix) {
    this.dataSchema = dataSchema;
    this.numIndexedCols = numIndexedCols < 0 ? Integer.MAX_VALUE : numIndexedCols;
    this.stringPrefix = stringPrefix;
  }

  /** Statistics JSON for the file with this footer, as it goes into the {@code add} action. */
  public String toJson(ParquetMetadata footer) {
    return compute(footer).serializeAsJson(dataSchema);
  }

  DataFileStatistics compute(ParquetMetadata footer) {
    long rows = 0;
    Map<String, Statistics<?>> merged = new HashMap<>();
    for (BlockMetaData block : footer.getBlocks()) {
      rows += block.getRowCount();
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        if (chunk.getPath().size() != 1) {
          continue;
        }
        String name = chunk.getPath().toArray()[0];
        Statistics<?> s = chunk.getStatistics();
        Statistics<?> prior = merged.get(name);
        if (prior == null) {
          merged.put(name, s == null ? null : s.copy());
        } else if (s == null) {
          merged.put(name, null);
        } else {
          prior.mergeStatistics(s);
        }
      }
    }
    Map<Column, Literal> min = new HashMap<>();
    Map<Column, Literal> max = new HashMap<>();
    Map<Column, Long> nulls = new HashMap<>();
    int indexed = 0;
    for (StructField field : dataSchema.fields()) {
      if (indexed++ >= numIndexedCols) {
        break;
      }
      if (!merged.containsKey(field.getName())) {
        continue; // nested column: not collected
      }
      Statistics<?> s = merged.get(field.getName());
      if (s == null || s.isEmpty()) {
        continue;
      }
      Column col = new Column(field.getName());
      nulls.put(col, s.getNumNulls());
      if (!s.hasNonNullValue()) {
        continue;
      }
      Literal lo = lower(field.getDataType(), s.genericGetMin());
      Literal hi = upper(field.getDataType(), s.genericGetMax());
      if (lo != null) {
        min.put(col, lo);
      }
      if (hi != null) {
        max.put(col, hi);
      }
    }
    return new DataFileStatistics(rows, min, max, nulls, Optional.empty());
  }

  private Literal lower(DataType type, Object v) {
    if (type instanceof StringType) {
      String s = ((Binary) v).toStringUsingUTF8();
      return Literal.ofString(prefix(s));
    }
    if (type instanceof TimestampType) {
      return Literal.ofTimestamp((Long) v);
    }
    return numeric(type, v);
  }

  private Literal upper(DataType type, Object v) {
    if (type instanceof StringType) {
      String bound = upperBound(((Binary) v).toStringUsingUTF8(), stringPrefix);
      return bound == null ? null : Literal.ofString(bound);
    }
    if (type instanceof TimestampType) {
      long micros = (Long) v;
      return Literal.ofTimestamp(Math.floorDiv(micros + 999, 1000) * 1000);
    }
    return numeric(type, v);
  }

  private static Literal numeric(DataType type, Object v) {
    if (type instanceof ByteType) {
      return Literal.ofByte(((Integer) v).byteValue());
    }
    if (type instanceof ShortType) {
      return Literal.ofShort(((Integer) v).shortValue());
    }
    if (type instanceof IntegerType) {
      return Literal.ofInt((Integer) v);
    }
    if (type instanceof DateType) {
      return Literal.ofDate((Integer) v);
    }
    if (type instanceof LongType) {
      return Literal.ofLong((Long) v);
    }
    if (type instanceof FloatType) {
      float f = (Float) v;
      return Float.isNaN(f) ? null : Literal.ofFloat(f);
    }
    if (type instanceof DoubleType) {
      double d = (Double) v;
      return Double.isNaN(d) ? null : Literal.ofDouble(d);
    }
    if (type instanceof DecimalType) {
      DecimalType t = (DecimalType) type;
      BigInteger unscaled;
      if (v instanceof Integer) {
        unscaled = BigInteger.valueOf((Integer) v);
      } else if (v instanceof Long) {
        unscaled = BigInteger.valueOf((Long) v);
      } else {
        unscaled = new BigInteger(((Binary) v).getBytes());
      }
      return Literal.ofDecimal(new BigDecimal(unscaled, t.getScale()), t.getPrecision(), t.getScale());
    }
    return null; // boolean, binary: no bounds
  }

  /**
   * Parses statistics JSON written by {@link #toJson} back into Kernel's form, losslessly:
   * Kernel's own parser reads numbers as doubles, which rounds decimals beyond 15 digits (wrong
   * bounds make readers skip files that hold matching rows) and cannot parse some of them back.
   *
   * @param schema the table schema; statistics of columns it lacks are dropped
   */
  public static DataFileStatistics fromJson(String json, StructType schema) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Unreadable statistics JSON: " + json, e);
    }
    Map<Column, Literal> min = new HashMap<>();
    Map<Column, Literal> max = new HashMap<>();
    Map<Column, Long> nulls = new HashMap<>();
    for (StructField f : schema.fields()) {
      Column col = new Column(f.getName());
      parseBound(root.path("minValues").get(f.getName()), f.getDataType()).ifPresent(l -> min.put(col, l));
      parseBound(root.path("maxValues").get(f.getName()), f.getDataType()).ifPresent(l -> max.put(col, l));
      JsonNode n = root.path("nullCount").get(f.getName());
      if (n != null && n.isIntegralNumber()) {
        nulls.put(col, n.longValue());
      }
    }
    return new DataFileStatistics(root.path("numRecords").longValue(), min, max, nulls, Optional.empty());
  }

  private static Optional<Literal> parseBound(JsonNode v, DataType type) {
    if (v == null || v.isNull() || v.isContainerNode()) {
      return Optional.empty();
    }
    Literal l;
    if (type instanceof ByteType) {
      l = Literal.ofByte((byte) v.intValue());
    } else if (type instanceof ShortType) {
      l = Literal.ofShort((short) v.intValue());
    } else if (type instanceof IntegerType) {
      l = Literal.ofInt(v.intValue());
    } else if (type instanceof LongType) {
      l = Literal.ofLong(v.longValue());
    } else if (type instanceof FloatType) {
      l = Literal.ofFloat(v.isNumber() ? v.floatValue() : Float.parseFloat(v.asText()));
    } else if (type instanceof DoubleType) {
      l = Literal.ofDouble(v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText()));
    } else if (type instanceof DecimalType) {
      DecimalType t = (DecimalType) type;
      BigDecimal d = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
      l = Literal.ofDecimal(d.setScale(t.getScale(), java.math.RoundingMode.UNNECESSARY), t.getPrecision(), t.getScale());
    } else if (type instanceof StringType) {
      l = Literal.ofString(v.asText());
    } else if (type instanceof DateType) {
      l = Literal.ofDate((int) java.time.LocalDate.parse(v.asText()).toEpochDay());
    } else if (type instanceof TimestampType) {
      java.time.Instant i = java.time.OffsetDateTime.parse(v.asText()).toInstant();
      l = Literal.ofTimestamp(Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000));
    } else {
      return Optional.empty();
    }
    return Optional.of(l);
  }

  /** The first {@code stringPrefix} characters, never splitting a surrogate pair. */
  private String prefix(String s) {
    return prefix(s, stringPrefix);
  }

  private static String prefix(String s, int length) {
    if (s.length() <= length) {
      return s;
    }
    int end = length;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /** The largest code point; ASCII DEL is the smallest tie-breaker above every other ASCII character. */
  private static final int MAX_CODE_POINT = Character.MAX_CODE_POINT;
  private static final int ASCII_DEL = 0x7F;

  /**
   * A string of at most about {@code 2 * prefixLength} characters that is greater than or equal
   * to {@code max} in code point order (which is UTF-8 byte order, the order Delta readers compare
   * strings in), or null when no such short bound exists.
   *
   * <p>A longer maximum is cut to its prefix {@code p} and followed by a tie-breaker {@code t}
   * greater than the code point {@code c} that follows the prefix in {@code max}: then {@code max
   * = p + c + rest < p + t}. DEL serves when {@code c} is below it (one byte, the tightest common
   * case), U+10FFFF otherwise. Only when {@code c} is U+10FFFF itself does nothing exceed it: the
   * prefix then grows by that code point and the rule repeats, up to twice the prefix length.
   */
  static String upperBound(String max, int prefixLength) {
    if (max.length() <= prefixLength) {
      return max;
    }
    for (int length = prefixLength; length <= 2 * prefixLength; ) {
      String p = prefix(max, length);
      if (p.length() == max.length()) {
        return max;
      }
      int next = max.codePointAt(p.length());
      if (next < ASCII_DEL) {
        return p + (char) ASCII_DEL;
      }
      if (next < MAX_CODE_POINT) {
        return p + new String(Character.toChars(MAX_CODE_POINT));
      }
      length = p.length() + Character.charCount(next);
    }
    return null;
  }
}
