package io.tributary.eventsjob;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kinesis record as the source delivers it: the payload bytes and where it came from. A Flink
 * POJO (public no-argument constructor, getters and setters) so Flink serializes it without Kryo;
 * treat instances as immutable once emitted.
 */
public final class KinesisRecord {
  private byte[] payload;
  private String stream;
  private String shardId;
  private String sequenceNumber;
  private long approximateArrivalMillis;

  /** For Flink's POJO serializer. */
  public KinesisRecord() {}

  public KinesisRecord(
      byte[] payload, String stream, String shardId, String sequenceNumber, long approximateArrivalMillis) {
    this.payload = payload;
    this.stream = stream;
    this.shardId = shardId;
    this.sequenceNumber = sequenceNumber;
    this.approximateArrivalMillis = approximateArrivalMillis;
  }

  /** The record's data blob, unchanged (never null when produced by the source). */
  public byte[] getPayload() {
    return payload;
  }

  public void setPayload(byte[] payload) {
    this.payload = payload;
  }

  /** Name of the stream. */
  public String getStream() {
    return stream;
  }

  public void setStream(String stream) {
    this.stream = stream;
  }

  /** E.g. {@code shardId-000000000003}. */
  public String getShardId() {
    return shardId;
  }

  public void setShardId(String shardId) {
    this.shardId = shardId;
  }

  /** Kinesis sequence number, unique within the shard (a decimal string of up to 128 bits). */
  public String getSequenceNumber() {
    return sequenceNumber;
  }

  public void setSequenceNumber(String sequenceNumber) {
    this.sequenceNumber = sequenceNumber;
  }

  /** When Kinesis accepted the record (its approximate arrival timestamp), epoch milliseconds. */
  public long getApproximateArrivalMillis() {
    return approximateArrivalMillis;
  }

  public void setApproximateArrivalMillis(long approximateArrivalMillis) {
    this.approximateArrivalMillis = approximateArrivalMillis;
  }

  /** {@code kinesis://<stream>/<shardId>/<sequenceNumber>}: this record's origin, see the README. */
  public String sourceFilename() {
    return "kinesis://" + stream + "/" + shardId + "/" + sequenceNumber;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KinesisRecord)) {
      return false;
    }
    KinesisRecord that = (KinesisRecord) o;
    return approximateArrivalMillis == that.approximateArrivalMillis
        && Arrays.equals(payload, that.payload)
        && Objects.equals(stream, that.stream)
        && Objects.equals(shardId, that.shardId)
        && Objects.equals(sequenceNumber, that.sequenceNumber);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stream, shardId, sequenceNumber);
  }

  @Override
  public String toString() {
    return sourceFilename() + " (" + (payload == null ? 0 : payload.length) + " bytes, arrived "
        + java.time.Instant.ofEpochMilli(approximateArrivalMillis) + ")";
  }
}
