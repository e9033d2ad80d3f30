package io.tributary.eventsjob;

import io.tributary.events.WebEventContract;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Every parameter of the events job, with its type, default and meaning. Read them through
 * {@link EventsJobConfig#from}, which validates them all at once. Besides these keys the job
 * passes on {@code sink.<key>} (a Delta sink option, e.g. {@code sink.parquet.compression}),
 * {@code hadoop.<key>} (a Hadoop/S3A setting) and {@code kinesis.property.<key>} (a raw
 * {@code FlinkKinesisConsumer} property), and reads the {@code checkpoint.*} options of
 * {@link io.tributary.config.CheckpointOptions} in {@link EventsJob#main}.
 */
public final class EventsJobOptions {

  /** How the source reads the stream. */
  public enum ConsumerType {
    /** GetRecords polling: shares the shard's 2 MB/s read limit with other consumers. */
    POLLING,
    /** Enhanced fan-out: a dedicated 2 MB/s per shard pushed over HTTP/2 (SubscribeToShard). */
    EFO
  }

  /** Where the source starts in each shard when it has no checkpointed position. */
  public enum InitialPosition {
    /** The oldest record still retained by the stream. */
    TRIM_HORIZON,
    /** Only records added after the job started. */
    LATEST,
    /** The first record that arrived at or after {@link #KINESIS_INITIAL_TIMESTAMP}. */
    AT_TIMESTAMP
  }

  /** How an EFO consumer is registered on the stream. */
  public enum EfoRegistration {
    /** The job registers the consumer when it starts (and reuses an existing one). */
    LAZY,
    /** Registered while the job graph is built, before the job runs. */
    EAGER,
    /** Already registered outside the job; its ARN is given as a {@code kinesis.property.*}. */
    NONE
  }

  public static final ConfigOption<String> KINESIS_STREAM =
      ConfigOptions.key("kinesis.stream")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "The Kinesis data stream: its name, or its ARN (arn:aws:kinesis:<region>:<account>:stream/<name>),"
                  + " which also gives the region. Required.");

  public static final ConfigOption<String> KINESIS_REGION =
      ConfigOptions.key("kinesis.region")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "AWS region of the stream. Default: the region of the stream ARN, else the AWS_REGION or"
                  + " AWS_DEFAULT_REGION environment variable.");

  public static final ConfigOption<String> KINESIS_ENDPOINT =
      ConfigOptions.key("kinesis.endpoint")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Endpoint override, e.g. http://127.0.0.1:4567 for a local emulator. Default: the AWS endpoint of the region.");

  public static final ConfigOption<InitialPosition> KINESIS_INITIAL_POSITION =
      ConfigOptions.key("kinesis.initial-position")
          .enumType(InitialPosition.class)
          .defaultValue(InitialPosition.TRIM_HORIZON)
          .withDescription(
              "Where to start reading when the job has no checkpoint or savepoint: TRIM_HORIZON, LATEST"
                  + " or AT_TIMESTAMP. A restored job always continues from its checkpointed sequence numbers.");

  public static final ConfigOption<String> KINESIS_INITIAL_TIMESTAMP =
      ConfigOptions.key("kinesis.initial-timestamp")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "With AT_TIMESTAMP: an ISO-8601 instant with offset (2026-11-22T10:00:00Z) or epoch milliseconds.");

  public static final ConfigOption<ConsumerType> KINESIS_CONSUMER_TYPE =
      ConfigOptions.key("kinesis.consumer-type")
          .enumType(ConsumerType.class)
          .defaultValue(ConsumerType.POLLING)
          .withDescription("POLLING (GetRecords) or EFO (enhanced fan-out, needs kinesis.efo.consumer-name).");

  public static final ConfigOption<String> KINESIS_EFO_CONSUMER_NAME =
      ConfigOptions.key("kinesis.efo.consumer-name")
          .stringType()
          .noDefaultValue()
          .withDescription("Name of the EFO stream consumer; required with kinesis.consumer-type=EFO.");

  public static final ConfigOption<EfoRegistration> KINESIS_EFO_REGISTRATION =
      ConfigOptions.key("kinesis.efo.registration")
          .enumType(EfoRegistration.class)
          .defaultValue(EfoRegistration.LAZY)
          .withDescription("LAZY, EAGER or NONE: who registers the EFO consumer (see the connector's documentation).");

  public static final ConfigOption<Duration> KINESIS_SHARD_DISCOVERY_INTERVAL =
      ConfigOptions.key("kinesis.shard-discovery-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("How often the source lists shards, to follow resharding (split and merge).");

  public static final ConfigOption<Duration> KINESIS_POLLING_INTERVAL =
      ConfigOptions.key("kinesis.polling.interval")
          .durationType()
          .defaultValue(Duration.ofMillis(200))
          .withDescription(
              "Pause between two GetRecords calls on a shard (POLLING). AWS allows 5 calls per second per shard,"
                  + " shared by all consumers.");

  public static final ConfigOption<Integer> KINESIS_POLLING_MAX_RECORDS =
      ConfigOptions.key("kinesis.polling.max-records")
          .intType()
          .defaultValue(10_000)
          .withDescription("Records per GetRecords call (POLLING), 1..10000.");

  public static final ConfigOption<String> KINESIS_ACCESS_KEY_ID =
      ConfigOptions.key("kinesis.access-key-id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Explicit AWS access key id, for local emulators. Without it the default AWS credential chain is used"
                  + " (the application role on Managed Flink). Needs kinesis.secret-access-key.");

  /**
   * Resolved through {@link io.tributary.config.Secrets}: {@code kinesis.secret-access-key.env}
   * (an environment variable), {@code .secret-id} (AWS Secrets Manager), or the value itself.
   */
  public static final ConfigOption<String> KINESIS_SECRET_ACCESS_KEY =
      ConfigOptions.key("kinesis.secret-access-key")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Secret access key going with kinesis.access-key-id. Prefer kinesis.secret-access-key.env=<VARIABLE>;"
                  + " never logged.");

  /** Folder of the silver tables, shared with cdc-job: {@link io.tributary.config.LakeOptions}. */
  public static final ConfigOption<String> LAKE_PATH = io.tributary.config.LakeOptions.LAKE_PATH;

  public static final ConfigOption<String> LAKE_ATOMIC_EVENTS_TABLE =
      ConfigOptions.key("lake.atomic-events-table")
          .stringType()
          .defaultValue("atomic_events")
          .withDescription("Folder name (under lake.path) of the events table.");

  public static final ConfigOption<String> LAKE_QUARANTINE_TABLE =
      ConfigOptions.key("lake.quarantine-table")
          .stringType()
          .defaultValue("atomic_events_quarantine")
          .withDescription("Folder name (under lake.path) of the quarantine table.");

  public static final ConfigOption<Integer> EVENTS_MAX_PAYLOAD_BYTES =
      ConfigOptions.key("events.max-payload-bytes")
          .intType()
          .defaultValue(WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES)
          .withDescription("Larger records are quarantined as PAYLOAD_TOO_LARGE without being parsed.");

  public static final ConfigOption<Duration> EVENTS_DEDUP_WINDOW =
      ConfigOptions.key("events.dedup-window")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription(
              "A repeated event_id whose record arrived in Kinesis less than this long after its first"
                  + " occurrence (approximate arrival time, not processing time) is dropped if its payload"
                  + " is identical, quarantined as CONFLICTING_DUPLICATE otherwise. 0 disables deduplication.");

  public static final ConfigOption<DedupScope> EVENTS_DEDUP_SCOPE =
      ConfigOptions.key("events.dedup-scope")
          .enumType(DedupScope.class)
          .defaultValue(DedupScope.STREAM)
          .withDescription(
              "Where copies of an event_id must arrive to be deduplicated. STREAM: anywhere in the stream (records"
                  + " cross a keyBy on event_id, an exchange between tasks). SHARD: on the same shard, as re-sends"
                  + " with the same partition key do (AWS SDK and KPL retries); deduplicated in the source's task"
                  + " without an exchange, at a fraction of the CPU, at most 128 subtasks; copies arriving on"
                  + " different shards are all written (docs/reliability.md). Changing it drops the remembered ids"
                  + " (restore with --allowNonRestoredState).");

  public static final ConfigOption<Duration> EVENTS_MAX_EVENT_AGE =
      ConfigOptions.key("events.max-event-age")
          .durationType()
          .defaultValue(Duration.ZERO)
          .withDescription(
              "A valid event whose event_timestamp is more than this before its arrival in Kinesis goes to the"
                  + " quarantine table as TIMESTAMP_TOO_OLD (raw payload kept, for a deliberate backfill) instead of"
                  + " atomic_events. Bounds the event_date partitions one checkpoint can touch. 0 (the default)"
                  + " disables the check; production: e.g. 30 d.");

  public static final ConfigOption<Duration> EVENTS_MAX_FUTURE_SKEW =
      ConfigOptions.key("events.max-future-skew")
          .durationType()
          .defaultValue(Duration.ZERO)
          .withDescription(
              "A valid event whose event_timestamp is more than this after its arrival in Kinesis (a wrong client"
                  + " clock) goes to the quarantine table as TIMESTAMP_IN_FUTURE. 0 (the default) disables the check;"
                  + " production: e.g. 1 d.");

  public static final ConfigOption<Integer> EVENTS_PARALLELISM =
      ConfigOptions.key("events.parallelism")
          .intType()
          .noDefaultValue()
          .withDescription("Parallelism of the job's operators. Default: the environment's (Managed Flink: the application's).");

  /** Raw FlinkKinesisConsumer properties (e.g. {@code flink.shard.adaptivereads}), without the prefix. */
  public static final String KINESIS_PROPERTY_PREFIX = "kinesis.property.";

  /** Every typed option, for validation of unknown keys and for documentation. */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          KINESIS_STREAM,
          KINESIS_REGION,
          KINESIS_ENDPOINT,
          KINESIS_INITIAL_POSITION,
          KINESIS_INITIAL_TIMESTAMP,
          KINESIS_CONSUMER_TYPE,
          KINESIS_EFO_CONSUMER_NAME,
          KINESIS_EFO_REGISTRATION,
          KINESIS_SHARD_DISCOVERY_INTERVAL,
          KINESIS_POLLING_INTERVAL,
          KINESIS_POLLING_MAX_RECORDS,
          KINESIS_ACCESS_KEY_ID,
          KINESIS_SECRET_ACCESS_KEY,
          LAKE_PATH,
          LAKE_ATOMIC_EVENTS_TABLE,
          LAKE_QUARANTINE_TABLE,
          EVENTS_MAX_PAYLOAD_BYTES,
          EVENTS_DEDUP_WINDOW,
          EVENTS_DEDUP_SCOPE,
          EVENTS_MAX_EVENT_AGE,
          EVENTS_MAX_FUTURE_SKEW,
          EVENTS_PARALLELISM);

  private EventsJobOptions() {}
}
