package io.tributary.eventsjob;

import io.tributary.kinesis.KinesisEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/** Writes payloads into an emulator stream, in order, failing loudly on any rejected record. */
final class TestKinesis {
  private TestKinesis() {}

  /**
   * Puts each payload with a random partition key (spread over the shards).
   *
   * @return per payload, in order, {@code <shardId>/<sequenceNumber>}
   */
  static List<String> put(KinesisEmulator kinesis, String stream, List<byte[]> payloads) {
    List<String> keys = new ArrayList<>();
    payloads.forEach(p -> keys.add(UUID.randomUUID().toString()));
    return put(kinesis, stream, payloads, keys);
  }

  /**
   * Puts each payload with its partition key, as a producer that re-sends with the same key does.
   *
   * @return per payload, in order, {@code <shardId>/<sequenceNumber>}
   */
  static List<String> put(KinesisEmulator kinesis, String stream, List<byte[]> payloads, List<String> partitionKeys) {
    List<String> sequenceNumbers = new ArrayList<>();
    try (KinesisClient client = kinesis.newClient()) {
      for (int from = 0; from < payloads.size(); from += 250) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < Math.min(payloads.size(), from + 250); i++) {
          entries.add(
              PutRecordsRequestEntry.builder()
                  .partitionKey(partitionKeys.get(i))
                  .data(SdkBytes.fromByteArray(payloads.get(i)))
                  .build());
        }
        PutRecordsResponse response = client.putRecords(r -> r.streamName(stream).records(entries));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
          throw new IllegalStateException(response.failedRecordCount() + " records rejected by the emulator: "
              + response.records().stream().filter(e -> e.errorCode() != null).findFirst().orElseThrow());
        }
        response.records().stream().map(e -> e.shardId() + "/" + e.sequenceNumber()).forEach(sequenceNumbers::add);
      }
    }
    return sequenceNumbers;
  }
}
