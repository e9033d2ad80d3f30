package io.tributary.cdc.silver;

import java.io.IOException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/**
 * Tagged binary serializer of {@link SilverRow}s: the value kinds the change-event converter produces. The schema
 * travels with every row in a compact form (column names and types, a few dozen bytes per
 * column); each instance caches the last encoded and the decoded schemas, so encoding and
 * decoding cost a byte comparison, not a rebuild.
 */
public final class SilverRowSerializer extends TypeSerializer<SilverRow> {
  private static final long serialVersionUID = 1L;

  private static final byte NULL = 0;
  private static final byte BOOLEAN = 1;
  private static final byte SHORT = 2;
  private static final byte INT = 3;
  private static final byte LONG = 4;
  private static final byte FLOAT = 5;
  private static final byte DOUBLE = 6;
  private static final byte STRING = 7;
  private static final byte DECIMAL = 8;
  private static final byte TIMESTAMP = 9;
  private static final byte BYTES = 10;
  private static final byte ARRAY = 11;

  private transient SilverSchema lastEncoded;
  private transient byte[] lastEncoding;
  private transient java.util.Map<java.nio.ByteBuffer, SilverSchema> decoded;
  private transient byte[] lastDecoding;
  private transient SilverSchema lastDecoded;
  private transient byte[] scratch;

  /** The schema encoded as {@code bytes}, decoded once per serializer instance. */
  private SilverSchema lookup(byte[] bytes) throws IOException {
    if (decoded == null) {
      decoded = new java.util.HashMap<>();
    }
    java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(bytes);
    SilverSchema schema = decoded.get(key);
    if (schema == null) {
      if (decoded.size() > 64) {
        decoded.clear();
      }
      schema = decode(bytes);
      decoded.put(key, schema);
    }
    lastDecoding = bytes;
    lastDecoded = schema;
    return schema;
  }

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public TypeSerializer<SilverRow> duplicate() {
    return new SilverRowSerializer();
  }

  @Override
  public SilverRow createInstance() {
    return null;
  }

  @Override
  public SilverRow copy(SilverRow from) {
    return from; // immutable
  }

  @Override
  public SilverRow copy(SilverRow from, SilverRow reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(SilverRow row, DataOutputView out) throws IOException {
    if (row.schema() != lastEncoded) {
      lastEncoding = encode(row.schema());
      lastEncoded = row.schema();
    }
    out.writeInt(lastEncoding.length);
    out.write(lastEncoding);
    out.writeLong(row.commitLsn());
    out.writeLong(row.seq());
    Object[] values = row.values();
    out.writeInt(values.length);
    for (Object v : values) {
      writeValue(v, out);
    }
  }

  static byte[] encode(SilverSchema schema) throws IOException {
    org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(256);
    SourceTable t = schema.source();
    out.writeUTF(t.name().schema());
    out.writeUTF(t.name().table());
    out.writeInt(schema.version());
    out.writeChar(t.replicaIdentity());
    out.writeInt(t.primaryKey().size());
    for (String k : t.primaryKey()) {
      out.writeUTF(k);
    }
    out.writeInt(t.columns().size());
    for (SourceTable.Column c : t.columns()) {
      out.writeUTF(c.name());
      writeType(c.type(), out);
    }
    return out.getCopyOfBuffer();
  }

  private static void writeType(PgColumnType type, DataOutputView out) throws IOException {
    out.writeUTF(type.pgType());
    out.writeByte(type.kind().ordinal());
    out.writeInt(type.precision());
    out.writeInt(type.scale());
    out.writeBoolean(type.element() != null);
    if (type.element() != null) {
      writeType(type.element(), out);
    }
  }

  static SilverSchema decode(byte[] bytes) throws IOException {
    org.apache.flink.core.memory.DataInputDeserializer in = new org.apache.flink.core.memory.DataInputDeserializer(bytes);
    TableName name = new TableName(in.readUTF(), in.readUTF());
    int version = in.readInt();
    char replicaIdentity = in.readChar();
    java.util.List<String> key = new java.util.ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      key.add(in.readUTF());
    }
    java.util.List<SourceTable.Column> columns = new java.util.ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      String column = in.readUTF();
      columns.add(new SourceTable.Column(column, readType(in)));
    }
    return new SilverSchema(new SourceTable(name, columns, key, replicaIdentity), version);
  }

  private static PgColumnType readType(DataInputView in) throws IOException {
    String pgType = in.readUTF();
    PgColumnType.Kind kind = PgColumnType.Kind.values()[in.readByte()];
    int precision = in.readInt();
    int scale = in.readInt();
    PgColumnType element = in.readBoolean() ? readType(in) : null;
    return new PgColumnType(pgType, kind, precision, scale, element);
  }

  private static void writeValue(Object v, DataOutputView out) throws IOException {
    if (v == null) {
      out.writeByte(NULL);
    } else if (v instanceof Boolean) {
      out.writeByte(BOOLEAN);
      out.writeBoolean((Boolean) v);
    } else if (v instanceof Short) {
      out.writeByte(SHORT);
      out.writeShort((Short) v);
    } else if (v instanceof Integer) {
      out.writeByte(INT);
      out.writeInt((Integer) v);
    } else if (v instanceof Long) {
      out.writeByte(LONG);
      out.writeLong((Long) v);
    } else if (v instanceof Float) {
      out.writeByte(FLOAT);
      out.writeFloat((Float) v);
    } else if (v instanceof Double) {
      out.writeByte(DOUBLE);
      out.writeDouble((Double) v);
    } else if (v instanceof StringData) {
      out.writeByte(STRING);
      byte[] b = ((StringData) v).toBytes();
      out.writeInt(b.length);
      out.write(b);
    } else if (v instanceof DecimalData) {
      DecimalData d = (DecimalData) v;
      out.writeByte(DECIMAL);
      out.writeInt(d.precision());
      out.writeInt(d.scale());
      byte[] unscaled = d.toUnscaledBytes();
      out.writeInt(unscaled.length);
      out.write(unscaled);
    } else if (v instanceof TimestampData) {
      TimestampData t = (TimestampData) v;
      out.writeByte(TIMESTAMP);
      out.writeLong(t.getMillisecond());
      out.writeInt(t.getNanoOfMillisecond());
    } else if (v instanceof byte[]) {
      out.writeByte(BYTES);
      out.writeInt(((byte[]) v).length);
      out.write((byte[]) v);
    } else if (v instanceof GenericArrayData) {
      GenericArrayData a = (GenericArrayData) v;
      out.writeByte(ARRAY);
      Object[] elements = a.toObjectArray();
      out.writeInt(elements.length);
      for (Object e : elements) {
        writeValue(e, out);
      }
    } else {
      throw new IOException("Unexpected silver value type " + v.getClass().getName());
    }
  }

  @Override
  public SilverRow deserialize(DataInputView in) throws IOException {
    int length = in.readInt();
    SilverSchema schema;
    if (lastDecoding != null && lastDecoding.length == length) {
      // Usually the same schema as the previous row: compare without allocating.
      if (scratch == null || scratch.length < length) {
        scratch = new byte[Math.max(length, 256)];
      }
      in.readFully(scratch, 0, length);
      schema = java.util.Arrays.equals(scratch, 0, length, lastDecoding, 0, length)
          ? lastDecoded
          : lookup(java.util.Arrays.copyOf(scratch, length));
    } else {
      byte[] bytes = new byte[length];
      in.readFully(bytes);
      schema = lookup(bytes);
    }
    long commitLsn = in.readLong();
    long seq = in.readLong();
    Object[] values = new Object[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = readValue(in);
    }
    return new SilverRow(schema, commitLsn, seq, values);
  }

  private static Object readValue(DataInputView in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case NULL:
        return null;
      case BOOLEAN:
        return in.readBoolean();
      case SHORT:
        return in.readShort();
      case INT:
        return in.readInt();
      case LONG:
        return in.readLong();
      case FLOAT:
        return in.readFloat();
      case DOUBLE:
        return in.readDouble();
      case STRING:
        {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          return StringData.fromBytes(b);
        }
      case DECIMAL:
        {
          int p = in.readInt();
          int s = in.readInt();
          byte[] unscaled = new byte[in.readInt()];
          in.readFully(unscaled);
          return DecimalData.fromUnscaledBytes(unscaled, p, s);
        }
      case TIMESTAMP:
        return TimestampData.fromEpochMillis(in.readLong(), in.readInt());
      case BYTES:
        {
          byte[] b = new byte[in.readInt()];
          in.readFully(b);
          return b;
        }
      case ARRAY:
        {
          Object[] elements = new Object[in.readInt()];
          for (int i = 0; i < elements.length; i++) {
            elements[i] = readValue(in);
          }
          return (ArrayData) new GenericArrayData(elements);
        }
      default:
        throw new IOException("Corrupt silver row: tag " + tag);
    }
  }

  @Override
  public SilverRow deserialize(SilverRow reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof SilverRowSerializer;
  }

  @Override
  public int hashCode() {
    return SilverRowSerializer.class.hashCode();
  }

  @Override
  public TypeSerializerSnapshot<SilverRow> snapshotConfiguration() {
    return new Snapshot();
  }

  /** Snapshot of the stateless serializer. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<SilverRow> {
    public Snapshot() {
      super(SilverRowSerializer::new);
    }
  }
}
