package io.tributary.eventsjob;

import io.tributary.eventsjob.EventsJobOptions.ConsumerType;
import io.tributary.eventsjob.EventsJobOptions.InitialPosition;
import java.util.Properties;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

/**
 * Builds the Kinesis source: the connector's {@link FlinkKinesisConsumer} (see the module README
 * for why this one and not the FLIP-27 {@code KinesisStreamsSource}), configured from {@link
 * EventsJobConfig}. Its checkpointed state is the last sequence number read per shard.
 */
public final class KinesisSourceFactory {

  private KinesisSourceFactory() {}

  /**
   * The source of {@link KinesisRecord}s, one per Kinesis record, shards spread by {@link
   * ShardIdAssigner}: round-robin, or aligned with the per-shard dedup's key groups when it
   * deduplicates per shard.
   */
  public static FlinkKinesisConsumer<KinesisRecord> create(EventsJobConfig config) {
    FlinkKinesisConsumer<KinesisRecord> consumer =
        new FlinkKinesisConsumer<>(config.streamName(), new KinesisRecordDeserializer(), consumerProperties(config));
    boolean perShard = config.dedupScope() == DedupScope.SHARD && !config.dedupWindow().isZero();
    consumer.setShardAssigner(perShard ? ShardIdAssigner.alignedWithShardKeys() : ShardIdAssigner.roundRobin());
    return consumer;
  }

  /**
   * The connector properties. Contains the secret access key when explicit credentials are
   * configured: never log the result.
   */
  static Properties consumerProperties(EventsJobConfig config) {
    Properties p = new Properties();
    p.setProperty(AWSConfigConstants.AWS_REGION, config.region());
    config.endpoint().ifPresent(e -> p.setProperty(AWSConfigConstants.AWS_ENDPOINT, e));
    if (config.accessKeyId().isPresent()) {
      p.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, "BASIC");
      p.setProperty(AWSConfigConstants.AWS_ACCESS_KEY_ID, config.accessKeyId().get());
      p.setProperty(AWSConfigConstants.AWS_SECRET_ACCESS_KEY, config.secretAccessKey().orElseThrow().reveal());
    } else {
      p.setProperty(AWSConfigConstants.AWS_CREDENTIALS_PROVIDER, "AUTO");
    }

    InitialPosition position = config.initialPosition();
    p.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, position.name());
    config.initialTimestamp().ifPresent(t ->
        // Epoch seconds with a fraction: the connector's format-free timestamp form.
        p.setProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP, String.valueOf(t.toEpochMilli() / 1000.0)));

    p.setProperty(ConsumerConfigConstants.RECORD_PUBLISHER_TYPE, config.consumerType().name());
    if (config.consumerType() == ConsumerType.EFO) {
      p.setProperty(ConsumerConfigConstants.EFO_CONSUMER_NAME, config.efoConsumerName().orElseThrow());
      p.setProperty(ConsumerConfigConstants.EFO_REGISTRATION_TYPE, config.efoRegistration().name());
    }
    p.setProperty(
        ConsumerConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS,
        String.valueOf(config.shardDiscoveryInterval().toMillis()));
    p.setProperty(
        ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS, String.valueOf(config.pollingInterval().toMillis()));
    p.setProperty(ConsumerConfigConstants.SHARD_GETRECORDS_MAX, String.valueOf(config.pollingMaxRecords()));
    // Raw connector properties win: the escape hatch for anything not modelled above.
    config.kinesisProperties().forEach(p::setProperty);
    return p;
  }
}
