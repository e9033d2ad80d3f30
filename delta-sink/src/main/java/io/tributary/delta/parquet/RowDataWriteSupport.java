package io.tributary.delta.parquet;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.binary.BinaryStringData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Flink {@link RowData} into Parquet with the schema of {@link ParquetSchemas}. Only the
 * fields listed in {@code fieldIndexes} of the input row are written (partition columns live in
 * the Delta log, not in the file). Writers are resolved once per type, so the per-row path has no
 * type dispatch.
 */
public final class RowDataWriteSupport extends WriteSupport<RowData> {
  private final MessageType schema;
  private final Map<String, String> extraMetadata;
  private final String[] names;
  private final int[] fieldIndexes;
  private final ValueWriter[] writers;
  private RecordConsumer consumer;

  /**
   * @param inputType type of the rows handed to {@link #write}
   * @param fieldIndexes positions in {@code inputType} of the columns stored in the file, in file
   *     order
   */
  public RowDataWriteSupport(RowType inputType, int[] fieldIndexes, Map<String, String> extraMetadata) {
    List<RowType.RowField> fields = inputType.getFields();
    RowType.RowField[] fileFields = new RowType.RowField[fieldIndexes.length];
    for (int i = 0; i < fieldIndexes.length; i++) {
      fileFields[i] = fields.get(fieldIndexes[i]);
    }
    this.schema = ParquetSchemas.toMessageType(new RowType(java.util.Arrays.asList(fileFields)));
    this.extraMetadata = Collections.unmodifiableMap(extraMetadata);
    this.fieldIndexes = fieldIndexes.clone();
    this.names = new String[fieldIndexes.length];
    this.writers = new ValueWriter[fieldIndexes.length];
    for (int i = 0; i < fieldIndexes.length; i++) {
      names[i] = fileFields[i].getName();
      writers[i] = writerFor(fileFields[i].getType());
    }
  }

  /** The Parquet schema of the written files. */
  public MessageType schema() {
    return schema;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, extraMetadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(RowData row) {
    consumer.startMessage();
    writeFields(consumer, row, fieldIndexes, names, writers);
    consumer.endMessage();
  }

  private static void writeFields(
      RecordConsumer c, RowData row, int[] indexes, String[] names, ValueWriter[] writers) {
    for (int i = 0; i < writers.length; i++) {
      int pos = indexes[i];
      if (!row.isNullAt(pos)) {
        c.startField(names[i], i);
        writers[i].write(c, row, pos);
        c.endField(names[i], i);
      }
    }
  }

  /** Writes one non-null value held in a row or an array. */
  private interface ValueWriter {
    void write(RecordConsumer c, RowData row, int pos);

    void write(RecordConsumer c, ArrayData array, int pos);
  }

  /**
   * The string's UTF-8 bytes, without a copy when they lie in one heap segment: rows that come
   * off the network (after a keyBy) hold their strings as slices of one buffer, and {@code
   * toBytes()} would copy each slice. Reused: Parquet copies what it keeps.
   */
  private static Binary utf8(StringData s) {
    if (s instanceof BinaryStringData) {
      BinaryStringData b = (BinaryStringData) s;
      b.ensureMaterialized();
      MemorySegment[] segments = b.getSegments();
      if (segments.length == 1 && !segments[0].isOffHeap()) {
        return Binary.fromReusedByteArray(segments[0].getArray(), b.getOffset(), b.getSizeInBytes());
      }
    }
    return Binary.fromReusedByteArray(s.toBytes());
  }

  private static ValueWriter writerFor(LogicalType type) {
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addBoolean(r.getBoolean(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addBoolean(a.getBoolean(p));
          }
        };
      case TINYINT:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addInteger(r.getByte(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addInteger(a.getByte(p));
          }
        };
      case SMALLINT:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addInteger(r.getShort(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addInteger(a.getShort(p));
          }
        };
      case INTEGER:
      case DATE:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addInteger(r.getInt(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addInteger(a.getInt(p));
          }
        };
      case BIGINT:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addLong(r.getLong(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addLong(a.getLong(p));
          }
        };
      case FLOAT:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addFloat(r.getFloat(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addFloat(a.getFloat(p));
          }
        };
      case DOUBLE:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addDouble(r.getDouble(p));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addDouble(a.getDouble(p));
          }
        };
      case CHAR:
      case VARCHAR:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addBinary(utf8(r.getString(p)));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addBinary(utf8(a.getString(p)));
          }
        };
      case BINARY:
      case VARBINARY:
        return new ValueWriter() {
          public void write(RecordConsumer c, RowData r, int p) {
            c.addBinary(Binary.fromReusedByteArray(r.getBinary(p)));
          }

          public void write(RecordConsumer c, ArrayData a, int p) {
            c.addBinary(Binary.fromReusedByteArray(a.getBinary(p)));
          }
        };
      case DECIMAL:
        return decimalWriter((DecimalType) type);
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        {
          int precision =
              type instanceof TimestampType
                  ? ((TimestampType) type).getPrecision()
                  : ((LocalZonedTimestampType) type).getPrecision();
          return new ValueWriter() {
            public void write(RecordConsumer c, RowData r, int p) {
              c.addLong(micros(r.getTimestamp(p, precision)));
            }

            public void write(RecordConsumer c, ArrayData a, int p) {
              c.addLong(micros(a.getTimestamp(p, precision)));
            }
          };
        }
      case ROW:
        return rowWriter((RowType) type);
      case ARRAY:
        return arrayWriter((ArrayType) type);
      case MAP:
        return mapWriter((MapType) type);
      default:
        throw new IllegalArgumentException("Unsupported type " + type.asSummaryString());
    }
  }

  /** Microseconds since the epoch, truncating sub-microsecond digits. */
  static long micros(TimestampData ts) {
    return Math.addExact(
        Math.multiplyExact(ts.getMillisecond(), 1000L), ts.getNanoOfMillisecond() / 1000);
  }

  private static ValueWriter decimalWriter(DecimalType type) {
    int precision = type.getPrecision();
    int scale = type.getScale();
    if (precision <= ParquetSchemas.MAX_INT_DIGITS) {
      return new ValueWriter() {
        public void write(RecordConsumer c, RowData r, int p) {
          c.addInteger((int) r.getDecimal(p, precision, scale).toUnscaledLong());
        }

        public void write(RecordConsumer c, ArrayData a, int p) {
          c.addInteger((int) a.getDecimal(p, precision, scale).toUnscaledLong());
        }
      };
    }
    if (precision <= ParquetSchemas.MAX_LONG_DIGITS) {
      return new ValueWriter() {
        public void write(RecordConsumer c, RowData r, int p) {
          c.addLong(r.getDecimal(p, precision, scale).toUnscaledLong());
        }

        public void write(RecordConsumer c, ArrayData a, int p) {
          c.addLong(a.getDecimal(p, precision, scale).toUnscaledLong());
        }
      };
    }
    int length = ParquetSchemas.decimalBytes(precision);
    return new ValueWriter() {
      public void write(RecordConsumer c, RowData r, int p) {
        c.addBinary(fixed(r.getDecimal(p, precision, scale), length));
      }

      public void write(RecordConsumer c, ArrayData a, int p) {
        c.addBinary(fixed(a.getDecimal(p, precision, scale), length));
      }
    };
  }

  /** Big-endian two's complement, sign-extended to the fixed length. */
  private static Binary fixed(DecimalData d, int length) {
    BigDecimal value = d.toBigDecimal();
    byte[] unscaled = value.unscaledValue().toByteArray();
    byte[] out = new byte[length];
    byte pad = (byte) (unscaled[0] < 0 ? -1 : 0);
    int offset = length - unscaled.length;
    for (int i = 0; i < offset; i++) {
      out[i] = pad;
    }
    System.arraycopy(unscaled, 0, out, offset, unscaled.length);
    return Binary.fromConstantByteArray(out);
  }

  private static ValueWriter rowWriter(RowType type) {
    int n = type.getFieldCount();
    String[] names = type.getFieldNames().toArray(new String[0]);
    ValueWriter[] writers = new ValueWriter[n];
    int[] indexes = new int[n];
    for (int i = 0; i < n; i++) {
      writers[i] = writerFor(type.getTypeAt(i));
      indexes[i] = i;
    }
    return new ValueWriter() {
      public void write(RecordConsumer c, RowData r, int p) {
        writeGroup(c, r.getRow(p, n));
      }

      public void write(RecordConsumer c, ArrayData a, int p) {
        writeGroup(c, a.getRow(p, n));
      }

      private void writeGroup(RecordConsumer c, RowData nested) {
        c.startGroup();
        writeFields(c, nested, indexes, names, writers);
        c.endGroup();
      }
    };
  }

  private static ValueWriter arrayWriter(ArrayType type) {
    ValueWriter element = writerFor(type.getElementType());
    return new ValueWriter() {
      public void write(RecordConsumer c, RowData r, int p) {
        writeList(c, r.getArray(p), element);
      }

      public void write(RecordConsumer c, ArrayData a, int p) {
        writeList(c, a.getArray(p), element);
      }
    };
  }

  private static void writeList(RecordConsumer c, ArrayData array, ValueWriter element) {
    c.startGroup();
    int size = array.size();
    if (size > 0) {
      c.startField("list", 0);
      for (int i = 0; i < size; i++) {
        c.startGroup();
        if (!array.isNullAt(i)) {
          c.startField("element", 0);
          element.write(c, array, i);
          c.endField("element", 0);
        }
        c.endGroup();
      }
      c.endField("list", 0);
    }
    c.endGroup();
  }

  private static ValueWriter mapWriter(MapType type) {
    ValueWriter key = writerFor(type.getKeyType());
    ValueWriter value = writerFor(type.getValueType());
    return new ValueWriter() {
      public void write(RecordConsumer c, RowData r, int p) {
        writeMap(c, r.getMap(p), key, value);
      }

      public void write(RecordConsumer c, ArrayData a, int p) {
        writeMap(c, a.getMap(p), key, value);
      }
    };
  }

  private static void writeMap(RecordConsumer c, MapData map, ValueWriter key, ValueWriter value) {
    ArrayData keys = map.keyArray();
    ArrayData values = map.valueArray();
    c.startGroup();
    int size = map.size();
    if (size > 0) {
      c.startField("key_value", 0);
      for (int i = 0; i < size; i++) {
        c.startGroup();
        if (keys.isNullAt(i)) {
          throw new IllegalArgumentException("Map keys must not be null");
        }
        c.startField("key", 0);
        key.write(c, keys, i);
        c.endField("key", 0);
        if (!values.isNullAt(i)) {
          c.startField("value", 1);
          value.write(c, values, i);
          c.endField("value", 1);
        }
        c.endGroup();
      }
      c.endField("key_value", 0);
    }
    c.endGroup();
  }
}
