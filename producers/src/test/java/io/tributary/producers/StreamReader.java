package io.tributary.producers;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/** Reads every record of a (small) stream back with GetRecords, shard by shard, in order. */
final class StreamReader {

  private StreamReader() {}

  static List<Record> readAll(KinesisClient client, String stream) {
    List<Record> out = new ArrayList<>();
    for (Shard shard : client.listShards(r -> r.streamName(stream)).shards()) {
      String iterator = client.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      int empty = 0;
      while (iterator != null && empty < 3) {
        String it = iterator;
        GetRecordsResponse response = client.getRecords(r -> r.shardIterator(it).limit(10_000));
        out.addAll(response.records());
        boolean caughtUp = response.millisBehindLatest() == null || response.millisBehindLatest() == 0;
        empty = response.records().isEmpty() && caughtUp ? empty + 1 : 0;
        iterator = response.nextShardIterator();
      }
    }
    return out;
  }
}
