package io.tributary.eventsjob;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A Kinesis record with the key it is deduplicated under ({@link IdentifyEvents}): what the events
 * job sends through its keyBy. The payload travels unparsed, as bytes, so the exchange costs a
 * copy instead of a row conversion. Immutable once emitted.
 */
public final class IdentifiedRecord {
  private final EventIdKey key;
  private final KinesisRecord record;

  public IdentifiedRecord(EventIdKey key, KinesisRecord record) {
    this.key = Objects.requireNonNull(key);
    this.record = Objects.requireNonNull(record);
  }

  /** The key of records nobody scanned ({@link #unscanned}). */
  private static final EventIdKey NOT_SCANNED = EventIdKey.forNonEvent(null);

  /**
   * A record the per-shard dedup ({@link DedupScope#SHARD}) takes as it is: keyed by its shard, it
   * needs no id before the parse, so the id scan is skipped and {@link #key()} means nothing.
   */
  public static IdentifiedRecord unscanned(KinesisRecord record) {
    return new IdentifiedRecord(NOT_SCANNED, record);
  }

  /** The record's event id, or a spreading key for a record that is no valid event. */
  public EventIdKey key() {
    return key;
  }

  public KinesisRecord record() {
    return record;
  }

  @Override
  public String toString() {
    return key + " <- " + record;
  }

  /** Flink type of {@link IdentifiedRecord} streams. */
  public static final class TypeInfo extends TypeInformation<IdentifiedRecord> {
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
    public Class<IdentifiedRecord> getTypeClass() {
      return IdentifiedRecord.class;
    }

    @Override
    public boolean isKeyType() {
      return false;
    }

    @Override
    public TypeSerializer<IdentifiedRecord> createSerializer(SerializerConfig config) {
      return Serializer.INSTANCE;
    }

    /** @deprecated Flink 1.20 calls {@link #createSerializer(SerializerConfig)}. */
    @Deprecated
    @Override
    public TypeSerializer<IdentifiedRecord> createSerializer(ExecutionConfig config) {
      return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
      return "IdentifiedRecord";
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

  /** Key, then payload bytes, stream, shard id, sequence number and arrival time. */
  public static final class Serializer extends TypeSerializerSingleton<IdentifiedRecord> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public IdentifiedRecord createInstance() {
      return new IdentifiedRecord(EventIdKey.forNonEvent(null), new KinesisRecord(new byte[0], "", "", "", 0));
    }

    @Override
    public IdentifiedRecord copy(IdentifiedRecord from) {
      return from;
    }

    @Override
    public IdentifiedRecord copy(IdentifiedRecord from, IdentifiedRecord reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(IdentifiedRecord r, DataOutputView target) throws IOException {
      EventIdKey.Serializer.INSTANCE.serialize(r.key, target);
      KinesisRecord k = r.record;
      byte[] payload = k.getPayload();
      target.writeInt(payload.length);
      target.write(payload);
      StringValue.writeString(k.getStream(), target);
      StringValue.writeString(k.getShardId(), target);
      StringValue.writeString(k.getSequenceNumber(), target);
      target.writeLong(k.getApproximateArrivalMillis());
    }

    @Override
    public IdentifiedRecord deserialize(DataInputView source) throws IOException {
      EventIdKey key = EventIdKey.Serializer.INSTANCE.deserialize(source);
      byte[] payload = new byte[source.readInt()];
      source.readFully(payload);
      String stream = StringValue.readString(source);
      String shard = StringValue.readString(source);
      String sequence = StringValue.readString(source);
      long arrival = source.readLong();
      return new IdentifiedRecord(key, new KinesisRecord(payload, stream, shard, sequence, arrival));
    }

    @Override
    public IdentifiedRecord deserialize(IdentifiedRecord reuse, DataInputView source) throws IOException {
      return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<IdentifiedRecord> snapshotConfiguration() {
      return new SerializerSnapshot();
    }
  }

  /** Serializer snapshot (version 1); a public no-argument constructor for restore. */
  public static final class SerializerSnapshot extends SimpleTypeSerializerSnapshot<IdentifiedRecord> {
    public SerializerSnapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
