package io.tributary.eventsjob;

import java.io.IOException;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.core.memory.MemorySegment;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.binary.BinaryStringData;

/**
 * The key of the dedup state: an {@code event_id}. Accepted events always carry a canonical UUID
 * (8-4-4-4-12 hex digits, lower case: the event contract checks it), kept as its 128 bits, which
 * is about half the heap of a {@code String} key per seen id and a fixed 17 bytes in checkpoints.
 * Any other text (never produced by the parser; kept so the key is total) is kept as text. Two
 * keys are equal when their ids are equal text. Immutable.
 */
public final class EventIdKey {
  private final long high;
  private final long low;
  /** Non-null only for an id that is not a canonical lower-case UUID. */
  private final String text;

  private EventIdKey(long high, long low, String text) {
    this.high = high;
    this.low = low;
    this.text = text;
  }

  /** The key of an id (never null). */
  public static EventIdKey of(String id) {
    EventIdKey key = parse(id, null, 0, id.length());
    return key != null ? key : new EventIdKey(0, 0, id);
  }

  /**
   * The key of an id given as Flink string data (never null). Reads the UTF-8 bytes of binary
   * string data, or the Java string it wraps, without converting (materializing) the data.
   */
  public static EventIdKey of(StringData id) {
    if (id instanceof BinaryStringData) {
      BinaryStringData b = (BinaryStringData) id;
      if (b.getJavaObject() != null) {
        return of(b.getJavaObject());
      }
      MemorySegment[] segments = b.getSegments();
      if (segments.length == 1 && !segments[0].isOffHeap()) {
        // The usual case: the bytes sit in one heap segment; read them there, no copy.
        EventIdKey key = parse(null, segments[0].getArray(), b.getOffset(), b.getSizeInBytes());
        return key != null ? key : new EventIdKey(0, 0, id.toString());
      }
    }
    byte[] bytes = id.toBytes();
    EventIdKey key = parse(null, bytes, 0, bytes.length);
    return key != null ? key : new EventIdKey(0, 0, id.toString());
  }

  /**
   * The key of an id found in a payload ({@code EventIdScanner}): the bytes of a JSON string
   * without escapes, before the event contract lower-cases it. A UUID in either case gets the key
   * of its lower-case form, which is the id the parser accepts; any other text is not a valid id
   * (the record will be quarantined), and gets a text key.
   */
  static EventIdKey ofPayloadId(byte[] payload, int offset, int length) {
    if (length == 36) {
      boolean upper = false;
      for (int i = offset; i < offset + length && !upper; i++) {
        upper = payload[i] >= 'A' && payload[i] <= 'F';
      }
      if (!upper) {
        EventIdKey key = parse(null, payload, offset, length);
        if (key != null) {
          return key;
        }
      } else {
        byte[] lower = new byte[36];
        for (int i = 0; i < 36; i++) {
          byte c = payload[offset + i];
          lower[i] = c >= 'A' && c <= 'F' ? (byte) (c + ('a' - 'A')) : c;
        }
        EventIdKey key = parse(null, lower, 0, 36);
        if (key != null) {
          return key;
        }
      }
    }
    return new EventIdKey(0, 0, new String(payload, offset, length, java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A key for a record that is no valid event (it will be quarantined, never looked up in the
   * dedup state): spread by its sequence number so such records do not all land on one subtask.
   */
  static EventIdKey forNonEvent(String sequenceNumber) {
    long h = sequenceNumber == null ? 0 : PayloadFingerprint.of(sequenceNumber.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return new EventIdKey(h, ~h, null);
  }

  /** The 128 bits of a canonical lower-case UUID given as {@code text} or ASCII {@code bytes}, else null. */
  private static EventIdKey parse(String text, byte[] bytes, int offset, int length) {
    if (length != 36) {
      return null;
    }
    long high = 0;
    long low = 0;
    int n = 0;
    for (int i = 0; i < 36; i++) {
      int c = text != null ? text.charAt(i) : bytes[offset + i];
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
        continue;
      }
      int d = hexDigit(c);
      if (d < 0) {
        return null;
      }
      if (n++ < 16) {
        high = high << 4 | d;
      } else {
        low = low << 4 | d;
      }
    }
    return new EventIdKey(high, low, null);
  }

  /**
   * The id as 128 bits, for compact storage ({@link SeenIds}): a canonical UUID's own bits; for any
   * other text (never produced by the parser) a 128-bit hash of its UTF-8 bytes.
   */
  long bitsHigh() {
    return text == null ? high : PayloadFingerprint.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The low half of {@link #bitsHigh}'s 128 bits. */
  long bitsLow() {
    return text == null ? low : PayloadFingerprint.of(("\0" + text).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** 0-15 for a lower-case hex digit, else -1 (upper case would make two texts one key). */
  private static int hexDigit(int c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EventIdKey)) {
      return false;
    }
    EventIdKey k = (EventIdKey) o;
    return high == k.high && low == k.low && (text == null ? k.text == null : text.equals(k.text));
  }

  /** Deterministic across JVMs: Flink assigns key groups from it. */
  @Override
  public int hashCode() {
    return text != null ? text.hashCode() : Long.hashCode(high) * 31 + Long.hashCode(low);
  }

  @Override
  public String toString() {
    if (text != null) {
      return text;
    }
    String h = String.format("%016x", high);
    String l = String.format("%016x", low);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12) + "-" + l.substring(0, 4) + "-" + l.substring(4);
  }

  /** Flink type information of the key: {@link Serializer}, no Kryo. */
  public static final class TypeInfo extends TypeInformation<EventIdKey> {
    private static final long serialVersionUID = 1L;
    public static final TypeInfo INSTANCE = new TypeInfo();

    @Override
    public boolean isBasicType() {
      return false;
    }

    @Override
    public boolean isTupleType() {
      return false;
    }

    @Override
    public int getArity() {
      return 1;
    }

    @Override
    public int getTotalFields() {
      return 1;
    }

    @Override
    public Class<EventIdKey> getTypeClass() {
      return EventIdKey.class;
    }

    @Override
    public boolean isKeyType() {
      return true;
    }

    @Override
    public TypeSerializer<EventIdKey> createSerializer(SerializerConfig config) {
      return Serializer.INSTANCE;
    }

    @Override
    @SuppressWarnings("deprecation")
    public TypeSerializer<EventIdKey> createSerializer(ExecutionConfig config) {
      return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
      return "EventIdKey";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TypeInfo;
    }

    @Override
    public int hashCode() {
      return TypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
      return o instanceof TypeInfo;
    }
  }

  /** Format: a tag byte, then 16 bytes of UUID (tag 0) or the text (tag 1, as Flink's StringSerializer). */
  public static final class Serializer extends TypeSerializerSingleton<EventIdKey> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public EventIdKey createInstance() {
      return new EventIdKey(0, 0, null);
    }

    @Override
    public EventIdKey copy(EventIdKey from) {
      return from;
    }

    @Override
    public EventIdKey copy(EventIdKey from, EventIdKey reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(EventIdKey key, DataOutputView target) throws IOException {
      if (key.text == null) {
        target.writeByte(0);
        target.writeLong(key.high);
        target.writeLong(key.low);
      } else {
        target.writeByte(1);
        StringSerializer.INSTANCE.serialize(key.text, target);
      }
    }

    @Override
    public EventIdKey deserialize(DataInputView source) throws IOException {
      byte tag = source.readByte();
      if (tag == 0) {
        long high = source.readLong();
        return new EventIdKey(high, source.readLong(), null);
      }
      if (tag == 1) {
        return new EventIdKey(0, 0, StringSerializer.INSTANCE.deserialize(source));
      }
      throw new IOException("corrupt EventIdKey: tag " + tag);
    }

    @Override
    public EventIdKey deserialize(EventIdKey reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<EventIdKey> snapshotConfiguration() {
      return new SerializerSnapshot();
    }
  }

  /** Serializer snapshot (version 1); a public no-argument constructor for restore. */
  public static final class SerializerSnapshot extends SimpleTypeSerializerSnapshot<EventIdKey> {
    public SerializerSnapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
