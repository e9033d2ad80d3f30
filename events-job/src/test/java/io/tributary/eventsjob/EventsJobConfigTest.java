package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.eventsjob.EventsJobOptions.ConsumerType;
import io.tributary.eventsjob.EventsJobOptions.InitialPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.junit.jupiter.api.Test;

class EventsJobConfigTest {
  private static final Map<String, String> ENV = Map.of("KINESIS_SECRET", "s3cr3t-value");

  private static EventsJobConfig config(Map<String, String> params) {
    return EventsJobConfig.from(JobParameters.of(params), new Secrets(ENV::get, Secrets.fixed(Map.of())), ENV::get);
  }

  private static Map<String, String> minimal() {
    Map<String, String> p = new HashMap<>();
    p.put("kinesis.stream", "web-events");
    p.put("kinesis.region", "eu-west-1");
    p.put("lake.path", "s3a://lake/silver/");
    return p;
  }

  @Test
  void defaults() {
    EventsJobConfig c = config(minimal());
    assertThat(c.streamName()).isEqualTo("web-events");
    assertThat(c.streamArn()).isEmpty();
    assertThat(c.region()).isEqualTo("eu-west-1");
    assertThat(c.endpoint()).isEmpty();
    assertThat(c.initialPosition()).isEqualTo(InitialPosition.TRIM_HORIZON);
    assertThat(c.consumerType()).isEqualTo(ConsumerType.POLLING);
    assertThat(c.accessKeyId()).isEmpty();
    assertThat(c.atomicEventsTablePath()).isEqualTo("s3a://lake/silver/atomic_events");
    assertThat(c.quarantineTablePath()).isEqualTo("s3a://lake/silver/atomic_events_quarantine");
    assertThat(c.maxPayloadBytes()).isEqualTo(65_536);
    assertThat(c.dedupWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(c.dedupScope()).isEqualTo(DedupScope.STREAM);
    assertThat(c.parallelism()).isEmpty();
    assertThat(c.shardDiscoveryInterval()).isEqualTo(Duration.ofSeconds(10));

    Properties p = KinesisSourceFactory.consumerProperties(c);
    assertThat(p.getProperty("aws.region")).isEqualTo("eu-west-1");
    assertThat(p.getProperty("aws.credentials.provider")).isEqualTo("AUTO");
    assertThat(p.getProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION)).isEqualTo("TRIM_HORIZON");
    assertThat(p.getProperty(ConsumerConfigConstants.RECORD_PUBLISHER_TYPE)).isEqualTo("POLLING");
    assertThat(p).doesNotContainKey("aws.endpoint");
  }

  @Test
  void anArnGivesNameAndRegion() {
    Map<String, String> p = minimal();
    p.remove("kinesis.region");
    p.put("kinesis.stream", "arn:aws:kinesis:us-east-2:123456789012:stream/web-events");
    EventsJobConfig c = config(p);
    assertThat(c.streamName()).isEqualTo("web-events");
    assertThat(c.region()).isEqualTo("us-east-2");
    assertThat(c.streamArn()).contains("arn:aws:kinesis:us-east-2:123456789012:stream/web-events");
  }

  @Test
  void theRegionFallsBackToTheEnvironment() {
    Map<String, String> p = minimal();
    p.remove("kinesis.region");
    Map<String, String> env = Map.of("AWS_REGION", "ap-south-1");
    EventsJobConfig c = EventsJobConfig.from(JobParameters.of(p), new Secrets(env::get, Secrets.fixed(Map.of())), env::get);
    assertThat(c.region()).isEqualTo("ap-south-1");
  }

  @Test
  void everythingSet() {
    Map<String, String> p = minimal();
    p.put("kinesis.endpoint", "http://127.0.0.1:4567");
    p.put("kinesis.initial-position", "AT_TIMESTAMP");
    p.put("kinesis.initial-timestamp", "2026-11-22T10:00:00.5+01:00");
    p.put("kinesis.consumer-type", "EFO");
    p.put("kinesis.efo.consumer-name", "tributary");
    p.put("kinesis.shard-discovery-interval", "30 s");
    p.put("kinesis.polling.interval", "1 s");
    p.put("kinesis.polling.max-records", "500");
    p.put("kinesis.access-key-id", "AKIDEXAMPLE");
    p.put("kinesis.secret-access-key.env", "KINESIS_SECRET");
    p.put("kinesis.property.flink.shard.adaptivereads", "true");
    p.put("lake.atomic-events-table", "events");
    p.put("lake.quarantine-table", "events_bad");
    p.put("events.max-payload-bytes", "1024");
    p.put("events.dedup-window", "15 min");
    p.put("events.parallelism", "4");
    p.put("sink.parquet.compression", "zstd");
    p.put("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    EventsJobConfig c = config(p);

    assertThat(c.initialTimestamp()).contains(Instant.parse("2026-11-22T09:00:00.5Z"));
    assertThat(c.efoConsumerName()).contains("tributary");
    assertThat(c.atomicEventsTablePath()).isEqualTo("s3a://lake/silver/events");
    assertThat(c.quarantineTablePath()).isEqualTo("s3a://lake/silver/events_bad");
    assertThat(c.maxPayloadBytes()).isEqualTo(1024);
    assertThat(c.dedupWindow()).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.parallelism()).contains(4);
    assertThat(c.sinkOptions()).isEqualTo(Map.of("parquet.compression", "zstd"));
    assertThat(c.hadoopOptions()).isEqualTo(Map.of("fs.s3a.endpoint", "http://127.0.0.1:9000"));
    assertThat(c.toString()).doesNotContain("s3cr3t-value").contains("AKIDEXAMPLE");

    Properties props = KinesisSourceFactory.consumerProperties(c);
    assertThat(props.getProperty("aws.endpoint")).isEqualTo("http://127.0.0.1:4567");
    assertThat(props.getProperty("aws.credentials.provider")).isEqualTo("BASIC");
    assertThat(props.getProperty("aws.credentials.provider.basic.accesskeyid")).isEqualTo("AKIDEXAMPLE");
    assertThat(props.getProperty("aws.credentials.provider.basic.secretkey")).isEqualTo("s3cr3t-value");
    assertThat(props.getProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION)).isEqualTo("AT_TIMESTAMP");
    assertThat(Double.parseDouble(props.getProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP)))
        .isEqualTo(Instant.parse("2026-11-22T09:00:00.5Z").toEpochMilli() / 1000.0);
    assertThat(props.getProperty(ConsumerConfigConstants.RECORD_PUBLISHER_TYPE)).isEqualTo("EFO");
    assertThat(props.getProperty(ConsumerConfigConstants.EFO_CONSUMER_NAME)).isEqualTo("tributary");
    assertThat(props.getProperty(ConsumerConfigConstants.EFO_REGISTRATION_TYPE)).isEqualTo("LAZY");
    assertThat(props.getProperty(ConsumerConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS)).isEqualTo("30000");
    assertThat(props.getProperty(ConsumerConfigConstants.SHARD_GETRECORDS_INTERVAL_MILLIS)).isEqualTo("1000");
    assertThat(props.getProperty(ConsumerConfigConstants.SHARD_GETRECORDS_MAX)).isEqualTo("500");
    assertThat(props.getProperty("flink.shard.adaptivereads")).isEqualTo("true");
  }

  @Test
  void epochMillisAreAnInitialTimestampToo() {
    Map<String, String> p = minimal();
    p.put("kinesis.initial-position", "AT_TIMESTAMP");
    p.put("kinesis.initial-timestamp", "1795342530123");
    assertThat(config(p).initialTimestamp()).contains(Instant.ofEpochMilli(1795342530123L));
  }

  @Test
  void reportsEveryProblemAtOnceWithoutTheSecret() {
    Map<String, String> p = new HashMap<>();
    p.put("kinesis.stream", "arn:aws:kinesis:bad");
    p.put("kinesis.endpoint", "ftp://x");
    p.put("kinesis.initial-position", "AT_TIMESTAMP");
    p.put("kinesis.consumer-type", "EFO");
    p.put("kinesis.secret-access-key", "s3cr3t-value");
    p.put("kinesis.regoin", "eu-west-1");
    p.put("kinesis.polling.max-records", "20000");
    p.put("kinesis.shard-discovery-interval", "0 s");
    p.put("lake.atomic-events-table", "../x");
    p.put("events.max-payload-bytes", "-1");
    p.put("events.dedup-window", "forever");
    p.put("events.parallelism", "0");
    p.put("sink.table.path", "/elsewhere");
    assertThatThrownBy(() -> config(p))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("kinesis.stream 'arn:aws:kinesis:bad' is not a stream ARN")
        .hasMessageContaining("kinesis.region is required")
        .hasMessageContaining("kinesis.endpoint 'ftp://x' must be an http:// or https:// URL")
        .hasMessageContaining("kinesis.initial-timestamp is required")
        .hasMessageContaining("kinesis.efo.consumer-name is required")
        .hasMessageContaining("kinesis.secret-access-key is set but kinesis.access-key-id is not")
        .hasMessageContaining("unknown option kinesis.regoin")
        .hasMessageContaining("kinesis.polling.max-records must be within 1..10000")
        .hasMessageContaining("kinesis.shard-discovery-interval must be positive")
        .hasMessageContaining("lake.path is required")
        .hasMessageContaining("lake.atomic-events-table '../x' must be a folder name")
        .hasMessageContaining("events.max-payload-bytes must be positive")
        .hasMessageContaining("events.dedup-window")
        .hasMessageContaining("events.parallelism must be at least 1")
        .hasMessageContaining("sink.table.path is set by the job itself")
        .message()
        .doesNotContain("s3cr3t-value");
  }

  @Test
  void optionsThatOnlyApplyElsewhereAreRefused() {
    Map<String, String> p = minimal();
    p.put("kinesis.initial-timestamp", "2026-11-22T10:00:00Z");
    p.put("kinesis.efo.consumer-name", "c");
    p.put("kinesis.access-key-id", "AKID");
    p.put("kinesis.stream", "arn:aws:kinesis:us-east-1:123456789012:stream/s");
    assertThatThrownBy(() -> config(p))
        .hasMessageContaining("kinesis.initial-timestamp is only used with kinesis.initial-position=AT_TIMESTAMP")
        .hasMessageContaining("kinesis.efo.consumer-name is only used with kinesis.consumer-type=EFO")
        .hasMessageContaining("kinesis.access-key-id is set but kinesis.secret-access-key")
        .hasMessageContaining("kinesis.region 'eu-west-1' differs from the stream ARN's region 'us-east-1'");
  }

  @Test
  void theTwoTablesMustDiffer() {
    Map<String, String> p = minimal();
    p.put("lake.quarantine-table", "atomic_events");
    assertThatThrownBy(() -> config(p)).hasMessageContaining("must differ");
  }

  @Test
  void everyOptionIsDocumented() {
    assertThat(EventsJobOptions.ALL).allSatisfy(o -> assertThat(o.description().toString()).isNotBlank());
  }

  @Test
  void dedupPerShardIsChosenByNameAndLimitedToItsKeyGroups() {
    Map<String, String> p = minimal();
    p.put("events.dedup-scope", "SHARD");
    p.put("events.parallelism", "128");
    assertThat(config(p).dedupScope()).isEqualTo(DedupScope.SHARD);
    p.put("events.parallelism", "129");
    assertThatThrownBy(() -> config(p)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("events.parallelism must be at most 128 with events.dedup-scope=SHARD, was 129");
    p.put("events.dedup-scope", "PARTITION");
    assertThatThrownBy(() -> config(p)).isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("events.dedup-scope");
  }

  /** Issue 24: a misspelled key is refused with a suggestion, whatever the configuration source. */
  @Test
  void aMisspelledKeyIsRefusedWithASuggestionFromEverySource(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    String expected = "unknown option kinesis.regoin (did you mean kinesis.region?)";
    java.util.List<String> args = new java.util.ArrayList<>();
    minimal().forEach((k, v) -> args.add("--" + k + "=" + v));
    args.add("--kinesis.regoin=eu-west-1");
    assertThatThrownBy(() -> config(JobParameters.fromArgs(args.toArray(new String[0])).asMap()))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(expected);
    Properties file = new Properties();
    file.putAll(minimal());
    file.put("kinesis.regoin", "eu-west-1");
    java.nio.file.Path path = tmp.resolve("events.properties");
    try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(path)) {
      file.store(w, null);
    }
    assertThatThrownBy(() -> config(JobParameters.fromArgs("--config", path.toString()).asMap()))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(expected);
    Map<String, Properties> groups = new HashMap<>();
    minimal().forEach((k, v) -> {
      int dot = k.indexOf('.');
      groups.computeIfAbsent(k.substring(0, dot), g -> new Properties()).put(k.substring(dot + 1), v);
    });
    groups.computeIfAbsent("kinesis", g -> new Properties()).put("regoin", "eu-west-1");
    groups.computeIfAbsent("checkpoint", g -> new Properties()).put("intervall", "10 s");
    assertThatThrownBy(() -> config(JobParameters.flattenGroups(groups)))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(expected)
        .hasMessageContaining("unknown option checkpoint.intervall (did you mean checkpoint.interval?)");
  }

  @Test
  void sinkOptionsAreValidatedWithTheJobsOwnAndTypedPerTable() {
    Map<String, String> p = minimal();
    p.put("events.parallelism", "0");
    p.put("sink.file.max-open", "0");
    p.put("sink.parquet.compresion", "zstd");
    assertThatThrownBy(() -> config(p))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("events.parallelism must be at least 1")
        .hasMessageContaining("'sink.file.max-open' = 0: must be positive")
        .hasMessageContaining("unknown option sink.parquet.compresion (did you mean sink.parquet.compression?)");

    Map<String, String> ok = minimal();
    ok.put("sink.parquet.compression", "zstd");
    ok.put("hadoop.fs.s3a.endpoint", "http://s3");
    EventsJobConfig c = config(ok);
    io.tributary.delta.DeltaSinkConfig sink = c.sinkConfig(c.atomicEventsTablePath(), "events-job.atomic_events");
    assertThat(sink.tablePath()).isEqualTo("s3a://lake/silver/atomic_events");
    assertThat(sink.sinkId()).isEqualTo("events-job.atomic_events");
    assertThat(sink.compression()).isEqualTo(io.tributary.delta.DeltaSinkOptions.Compression.ZSTD);
    assertThat(sink.hadoopConf()).containsEntry("fs.s3a.endpoint", "http://s3");
  }
}
