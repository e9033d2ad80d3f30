package io.tributary.eventsjob;

import static io.tributary.eventsjob.EventsJobOptions.EVENTS_DEDUP_SCOPE;
import static io.tributary.eventsjob.EventsJobOptions.EVENTS_DEDUP_WINDOW;
import static io.tributary.eventsjob.EventsJobOptions.EVENTS_MAX_EVENT_AGE;
import static io.tributary.eventsjob.EventsJobOptions.EVENTS_MAX_FUTURE_SKEW;
import static io.tributary.eventsjob.EventsJobOptions.EVENTS_MAX_PAYLOAD_BYTES;
import static io.tributary.eventsjob.EventsJobOptions.EVENTS_PARALLELISM;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_ACCESS_KEY_ID;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_CONSUMER_TYPE;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_EFO_CONSUMER_NAME;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_EFO_REGISTRATION;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_ENDPOINT;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_INITIAL_POSITION;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_INITIAL_TIMESTAMP;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_POLLING_INTERVAL;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_POLLING_MAX_RECORDS;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_PROPERTY_PREFIX;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_REGION;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_SECRET_ACCESS_KEY;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_SHARD_DISCOVERY_INTERVAL;
import static io.tributary.eventsjob.EventsJobOptions.KINESIS_STREAM;
import static io.tributary.eventsjob.EventsJobOptions.LAKE_ATOMIC_EVENTS_TABLE;
import static io.tributary.eventsjob.EventsJobOptions.LAKE_PATH;
import static io.tributary.eventsjob.EventsJobOptions.LAKE_QUARANTINE_TABLE;

import io.tributary.config.CheckpointOptions;
import io.tributary.config.ConfigReader;
import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.LakeOptions;
import io.tributary.delta.DeltaSinkConfig;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.config.JobParameters;
import io.tributary.config.Secret;
import io.tributary.config.SecretKeys;
import io.tributary.config.Secrets;
import io.tributary.config.UnknownKeys;
import io.tributary.eventsjob.EventsJobOptions.ConsumerType;
import io.tributary.eventsjob.EventsJobOptions.EfoRegistration;
import io.tributary.eventsjob.EventsJobOptions.InitialPosition;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;

/**
 * The validated configuration of the events job. {@link #from(JobParameters)} reads every option
 * of {@link EventsJobOptions} and reports all problems in one {@link
 * InvalidConfigurationException}. Immutable; {@link #toString()} never shows the secret key.
 */
public final class EventsJobConfig {

  /** Delta sink options the job sets itself; {@code sink.<key>} may not override them. */
  static final Set<String> RESERVED_SINK_OPTIONS = Set.of(
      DeltaSinkOptions.TABLE_PATH.key(), DeltaSinkOptions.SINK_ID.key(), DeltaSinkOptions.PARTITION_COLUMNS.key());

  // Kinesis stream names: 1-128 of [a-zA-Z0-9_.-].
  private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern STREAM_ARN =
      Pattern.compile("arn:(aws[a-z-]*):kinesis:([a-z0-9-]+):(\\d{12}):stream/([a-zA-Z0-9_.-]{1,128})");
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private final String streamName;
  private final String streamArn;
  private final String region;
  private final String endpoint;
  private final InitialPosition initialPosition;
  private final Instant initialTimestamp;
  private final ConsumerType consumerType;
  private final String efoConsumerName;
  private final EfoRegistration efoRegistration;
  private final Duration shardDiscoveryInterval;
  private final Duration pollingInterval;
  private final int pollingMaxRecords;
  private final String accessKeyId;
  private final Secret secretAccessKey;
  private final Map<String, String> kinesisProperties;
  private final String lakePath;
  private final String atomicEventsTable;
  private final String quarantineTable;
  private final int maxPayloadBytes;
  private final Duration dedupWindow;
  private final DedupScope dedupScope;
  private final EventTimePolicy eventTimePolicy;
  private final Integer parallelism;
  private final Map<String, String> sinkOptions;
  private final DeltaSinkConfig sink;
  private final Map<String, String> hadoopOptions;

  /** The keys this job reads: a mistyped one in its namespaces is refused, not replaced by a default. */
  private static final UnknownKeys KEYS = knownKeys();

  private static UnknownKeys knownKeys() {
    Set<String> known = new TreeSet<>();
    EventsJobOptions.ALL.forEach(o -> known.add(o.key()));
    CheckpointOptions.ALL.forEach(o -> known.add(o.key()));
    known.addAll(SecretKeys.keysRead(KINESIS_SECRET_ACCESS_KEY.key()));
    DeltaSinkOptions.ALL.forEach(o -> known.add(LakeOptions.SINK_PREFIX + o.key()));
    return new UnknownKeys(known, List.of("kinesis.", "lake.", "events.", "checkpoint.", LakeOptions.SINK_PREFIX),
        List.of(KINESIS_PROPERTY_PREFIX));
  }

  /** Reads every option once, straight into its field; problems go to {@code r}. */
  private EventsJobConfig(ConfigReader r, Secrets secrets, Function<String, String> environment) {
    r.rejectUnknownKeys(KEYS, "EventsJobOptions (events-job README, docs/options.md; raw connector properties go in "
        + KINESIS_PROPERTY_PREFIX + "<key>)");

    // Stream: a name, or an ARN that also gives the region.
    String stream = r.optional(KINESIS_STREAM);
    Matcher arn = stream == null ? null : STREAM_ARN.matcher(stream);
    boolean isArn = stream != null && stream.startsWith("arn:");
    if (stream == null) {
      r.problem(KINESIS_STREAM.key() + " is required: the stream name or ARN");
    } else if (isArn) {
      r.check(arn.matches(), KINESIS_STREAM.key() + " '" + stream
          + "' is not a stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)");
    } else {
      r.check(STREAM_NAME.matcher(stream).matches(),
          KINESIS_STREAM.key() + " '" + stream + "' is not a stream name (1-128 of a-z A-Z 0-9 _ . -)");
    }
    boolean validArn = isArn && arn.matches();
    this.streamArn = validArn ? stream : null;
    this.streamName = validArn ? arn.group(4) : isArn ? null : stream;
    String arnRegion = validArn ? arn.group(2) : null;
    String configuredRegion = r.optional(KINESIS_REGION);
    r.check(configuredRegion == null || arnRegion == null || configuredRegion.equals(arnRegion),
        KINESIS_REGION.key() + " '" + configuredRegion + "' differs from the stream ARN's region '" + arnRegion + "'");
    this.region = firstNonBlank(configuredRegion, arnRegion, environment.apply("AWS_REGION"),
        environment.apply("AWS_DEFAULT_REGION"));
    r.check(region != null, KINESIS_REGION.key() + " is required (or give the stream as an ARN, or set AWS_REGION)");
    this.endpoint = r.optional(KINESIS_ENDPOINT);
    if (endpoint != null) {
      try {
        URI uri = new URI(endpoint);
        r.check(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
            KINESIS_ENDPOINT.key() + " '" + endpoint + "' must be an http:// or https:// URL");
      } catch (URISyntaxException e) {
        r.problem(KINESIS_ENDPOINT.key() + " '" + endpoint + "' is not a URL: " + e.getMessage());
      }
    }

    // Where reading starts.
    this.initialPosition = r.get(KINESIS_INITIAL_POSITION);
    String timestamp = r.optional(KINESIS_INITIAL_TIMESTAMP);
    if (initialPosition == InitialPosition.AT_TIMESTAMP) {
      r.check(timestamp != null,
          KINESIS_INITIAL_TIMESTAMP.key() + " is required with " + KINESIS_INITIAL_POSITION.key() + "=AT_TIMESTAMP");
      this.initialTimestamp = timestamp == null ? null : parseInstant(r, timestamp);
    } else {
      r.check(timestamp == null, KINESIS_INITIAL_TIMESTAMP.key() + " is only used with "
          + KINESIS_INITIAL_POSITION.key() + "=AT_TIMESTAMP (is " + initialPosition + ")");
      this.initialTimestamp = null;
    }

    // Consumer.
    this.consumerType = r.get(KINESIS_CONSUMER_TYPE);
    this.efoRegistration = r.get(KINESIS_EFO_REGISTRATION);
    String consumerName = r.optional(KINESIS_EFO_CONSUMER_NAME);
    if (consumerType == ConsumerType.EFO) {
      r.check(consumerName != null,
          KINESIS_EFO_CONSUMER_NAME.key() + " is required with " + KINESIS_CONSUMER_TYPE.key() + "=EFO");
    } else {
      r.check(consumerName == null, KINESIS_EFO_CONSUMER_NAME.key() + " is only used with " + KINESIS_CONSUMER_TYPE.key()
          + "=EFO (is " + consumerType + ")");
    }
    this.efoConsumerName = consumerType == ConsumerType.EFO ? consumerName : null;
    this.shardDiscoveryInterval = r.get(KINESIS_SHARD_DISCOVERY_INTERVAL);
    r.check(shardDiscoveryInterval == null || (!shardDiscoveryInterval.isNegative() && !shardDiscoveryInterval.isZero()),
        KINESIS_SHARD_DISCOVERY_INTERVAL.key() + " must be positive, was " + shardDiscoveryInterval);
    this.pollingInterval = r.get(KINESIS_POLLING_INTERVAL);
    r.check(pollingInterval == null || !pollingInterval.isNegative(),
        KINESIS_POLLING_INTERVAL.key() + " must not be negative");
    Integer maxRecords = r.get(KINESIS_POLLING_MAX_RECORDS);
    r.check(maxRecords == null || (maxRecords >= 1 && maxRecords <= 10_000),
        KINESIS_POLLING_MAX_RECORDS.key() + " must be within 1..10000, was " + maxRecords);
    this.pollingMaxRecords = maxRecords == null ? 0 : maxRecords;

    // Credentials: both or neither.
    String keyId = r.optional(KINESIS_ACCESS_KEY_ID);
    Secret secret = r.secret(secrets, KINESIS_SECRET_ACCESS_KEY.key(), null).orElse(null);
    r.check(keyId == null || secret != null, KINESIS_ACCESS_KEY_ID.key() + " is set but "
        + KINESIS_SECRET_ACCESS_KEY.key() + " (or " + SecretKeys.envKey(KINESIS_SECRET_ACCESS_KEY.key()) + ") is not");
    r.check(keyId != null || secret == null,
        KINESIS_SECRET_ACCESS_KEY.key() + " is set but " + KINESIS_ACCESS_KEY_ID.key() + " is not");
    boolean credentials = keyId != null && secret != null;
    this.accessKeyId = credentials ? keyId : null;
    this.secretAccessKey = credentials ? secret : null;

    // Lake.
    this.lakePath = LakeOptions.normalizeLakePath(r.get(LAKE_PATH));
    r.check(lakePath != null, LAKE_PATH.key() + " is required: the folder of the silver tables (local path or s3a://...)");
    this.atomicEventsTable = tableName(r, LAKE_ATOMIC_EVENTS_TABLE);
    this.quarantineTable = tableName(r, LAKE_QUARANTINE_TABLE);
    r.check(atomicEventsTable == null || !atomicEventsTable.equals(quarantineTable), LAKE_ATOMIC_EVENTS_TABLE.key()
        + " and " + LAKE_QUARANTINE_TABLE.key() + " must differ, both are '" + atomicEventsTable + "'");

    // Events.
    Integer maxPayload = r.get(EVENTS_MAX_PAYLOAD_BYTES);
    r.check(maxPayload == null || maxPayload > 0, EVENTS_MAX_PAYLOAD_BYTES.key() + " must be positive, was " + maxPayload);
    this.maxPayloadBytes = maxPayload == null ? 0 : maxPayload;
    this.dedupWindow = r.get(EVENTS_DEDUP_WINDOW);
    r.check(dedupWindow == null || !dedupWindow.isNegative(),
        EVENTS_DEDUP_WINDOW.key() + " must not be negative (0 disables deduplication)");
    this.dedupScope = r.get(EVENTS_DEDUP_SCOPE);
    this.eventTimePolicy = new EventTimePolicy(nonNegative(r, EVENTS_MAX_EVENT_AGE), nonNegative(r, EVENTS_MAX_FUTURE_SKEW));
    this.parallelism = r.params().contains(EVENTS_PARALLELISM.key()) ? r.get(EVENTS_PARALLELISM) : null;
    r.check(parallelism == null || parallelism >= 1, EVENTS_PARALLELISM.key() + " must be at least 1, was " + parallelism);
    r.check(parallelism == null || dedupScope != DedupScope.SHARD || parallelism <= ShardKeys.KEY_GROUPS,
        EVENTS_PARALLELISM.key() + " must be at most " + ShardKeys.KEY_GROUPS + " with " + EVENTS_DEDUP_SCOPE.key()
            + "=SHARD, was " + parallelism);

    // Handed on: the Delta sink's options (checked here, with the job's; the table path is the
    // lake's, or a stand-in when lake.path is missing, until sinkConfig sets a table's), Hadoop
    // settings and raw connector properties.
    List<String> reserved = new ArrayList<>();
    RESERVED_SINK_OPTIONS.forEach(k -> reserved.add(LakeOptions.SINK_PREFIX + k));
    r.rejectKeys(reserved, "is set by the job itself and cannot be overridden");
    this.sinkOptions = Collections.unmodifiableMap(new TreeMap<>(r.params().withPrefix(LakeOptions.SINK_PREFIX)));
    this.hadoopOptions = Collections.unmodifiableMap(new TreeMap<>(r.params().withPrefix(LakeOptions.HADOOP_PREFIX)));
    Map<String, String> sinkMap = LakeOptions.sinkOptions(r.params(), false);
    RESERVED_SINK_OPTIONS.forEach(sinkMap::remove);
    sinkMap.put(DeltaSinkOptions.TABLE_PATH.key(), lakePath == null ? "." : lakePath);
    this.sink = DeltaSinkConfig.read(sinkMap, LakeOptions.SINK_PREFIX, r.problems());
    this.kinesisProperties = Collections.unmodifiableMap(new TreeMap<>(r.params().withPrefix(KINESIS_PROPERTY_PREFIX)));
  }

  /** Reads the process environment (region, secret variables) and AWS Secrets Manager. */
  public static EventsJobConfig from(JobParameters params) {
    return from(params, new Secrets(), System::getenv);
  }

  /**
   * Validates {@code params}; {@code environment} supplies {@code AWS_REGION} and the like.
   *
   * @throws InvalidConfigurationException listing every problem found
   */
  public static EventsJobConfig from(JobParameters params, Secrets secrets, Function<String, String> environment) {
    ConfigReader reader = new ConfigReader(params);
    EventsJobConfig config = new EventsJobConfig(reader, secrets, environment);
    reader.throwIfAny("events-job");
    return config;
  }

  private static Instant parseInstant(ConfigReader r, String value) {
    if (value.matches("-?\\d{1,18}")) {
      return Instant.ofEpochMilli(Long.parseLong(value));
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      r.problem(KINESIS_INITIAL_TIMESTAMP.key() + " '" + value
          + "' is neither an ISO-8601 instant with offset nor epoch milliseconds");
      return null;
    }
  }

  private static String tableName(ConfigReader r, ConfigOption<String> option) {
    String name = r.get(option);
    boolean ok = name != null && TABLE_NAME.matcher(name).matches() && !name.contains("..");
    r.check(ok, option.key() + " '" + name + "' must be a folder name (letters, digits, _ . -)");
    return ok ? name : null;
  }

  /** The option's duration; a missing, invalid or negative one is reported and read as 0. */
  private static Duration nonNegative(ConfigReader r, ConfigOption<Duration> option) {
    Duration d = r.get(option);
    r.check(d == null || !d.isNegative(), option.key() + " must not be negative (0 disables the check)");
    return d == null || d.isNegative() ? Duration.ZERO : d;
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }

  /** The stream's name (from the ARN when an ARN was given). */
  public String streamName() {
    return streamName;
  }

  /** The stream ARN when one was configured. */
  public Optional<String> streamArn() {
    return Optional.ofNullable(streamArn);
  }

  public String region() {
    return region;
  }

  public Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  public InitialPosition initialPosition() {
    return initialPosition;
  }

  /** Set exactly when {@link #initialPosition()} is AT_TIMESTAMP. */
  public Optional<Instant> initialTimestamp() {
    return Optional.ofNullable(initialTimestamp);
  }

  public ConsumerType consumerType() {
    return consumerType;
  }

  /** Set exactly when {@link #consumerType()} is EFO. */
  public Optional<String> efoConsumerName() {
    return Optional.ofNullable(efoConsumerName);
  }

  public EfoRegistration efoRegistration() {
    return efoRegistration;
  }

  public Duration shardDiscoveryInterval() {
    return shardDiscoveryInterval;
  }

  public Duration pollingInterval() {
    return pollingInterval;
  }

  public int pollingMaxRecords() {
    return pollingMaxRecords;
  }

  /** Explicit credentials; empty means the default AWS credential chain. */
  public Optional<String> accessKeyId() {
    return Optional.ofNullable(accessKeyId);
  }

  /** Present exactly when {@link #accessKeyId()} is. */
  public Optional<Secret> secretAccessKey() {
    return Optional.ofNullable(secretAccessKey);
  }

  /** Raw connector properties from {@code kinesis.property.*}; applied last. */
  public Map<String, String> kinesisProperties() {
    return kinesisProperties;
  }

  public String lakePath() {
    return lakePath;
  }

  public String atomicEventsTablePath() {
    return tablePath(atomicEventsTable);
  }

  public String quarantineTablePath() {
    return tablePath(quarantineTable);
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** {@link Duration#ZERO} when deduplication is disabled. */
  public Duration dedupWindow() {
    return dedupWindow;
  }

  /** Where copies of an event id must arrive to be deduplicated ({@code events.dedup-scope}). */
  public DedupScope dedupScope() {
    return dedupScope;
  }

  /** Which event timestamps go to atomic_events ({@code events.max-event-age}, {@code events.max-future-skew}). */
  public EventTimePolicy eventTimePolicy() {
    return eventTimePolicy;
  }

  /** Operator parallelism, or empty for the environment's default. */
  public Optional<Integer> parallelism() {
    return Optional.ofNullable(parallelism);
  }

  /** Delta sink options for both tables ({@code sink.*} without the prefix). */
  public Map<String, String> sinkOptions() {
    return sinkOptions;
  }

  /** Hadoop settings for both tables ({@code hadoop.*} without the prefix). */
  public Map<String, String> hadoopOptions() {
    return hadoopOptions;
  }

  /**
   * The Delta sink configuration of one of the job's tables: the {@code sink.*} and {@code
   * hadoop.*} options (validated with the job's own) with the table's path and sink id.
   */
  public DeltaSinkConfig sinkConfig(String tablePath, String sinkId) {
    return sink.with(DeltaSinkOptions.TABLE_PATH, tablePath).with(DeltaSinkOptions.SINK_ID, sinkId);
  }

  private String tablePath(String table) {
    return LakeOptions.tablePath(lakePath, table);
  }

  @Override
  public String toString() {
    return "EventsJobConfig{stream=" + (streamArn != null ? streamArn : streamName)
        + ", region=" + region
        + (endpoint != null ? ", endpoint=" + endpoint : "")
        + ", initialPosition=" + initialPosition
        + (initialTimestamp != null ? "@" + initialTimestamp : "")
        + ", consumer=" + consumerType
        + (efoConsumerName != null ? "(" + efoConsumerName + ", " + efoRegistration + ")" : "")
        + ", credentials=" + (accessKeyId != null ? "explicit " + accessKeyId + "/" + secretAccessKey : "default chain")
        + ", atomicEvents=" + atomicEventsTablePath()
        + ", quarantine=" + quarantineTablePath()
        + ", maxPayloadBytes=" + maxPayloadBytes
        + ", dedupWindow=" + dedupWindow
        + ", dedupScope=" + dedupScope
        + ", maxEventAge=" + eventTimePolicy.maxAge()
        + ", maxFutureSkew=" + eventTimePolicy.maxFutureSkew()
        + ", parallelism=" + (parallelism != null ? parallelism : "default")
        // JobParameters.toString masks secret-looking keys (e.g. fs.s3a.secret.key).
        + ", sinkOptions=" + JobParameters.of(sinkOptions)
        + ", hadoopOptions=" + JobParameters.of(hadoopOptions)
        + "}";
  }
}
