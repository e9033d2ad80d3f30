package io.tributary.eventsjob;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/**
 * Keeps each Kinesis record whole, with its stream, shard, sequence number and arrival time.
 * Never fails: parsing happens downstream, where a bad payload is quarantined instead of failing
 * the source.
 */
public final class KinesisRecordDeserializer implements KinesisDeserializationSchema<KinesisRecord> {
  private static final long serialVersionUID = 1L;
  private static final byte[] EMPTY = new byte[0];

  @Override
  public KinesisRecord deserialize(
      byte[] recordValue,
      String partitionKey,
      String seqNum,
      long approxArrivalTimestamp,
      String stream,
      String shardId) {
    return new KinesisRecord(recordValue == null ? EMPTY : recordValue, stream, shardId, seqNum, approxArrivalTimestamp);
  }

  @Override
  public TypeInformation<KinesisRecord> getProducedType() {
    return TypeInformation.of(KinesisRecord.class);
  }
}
