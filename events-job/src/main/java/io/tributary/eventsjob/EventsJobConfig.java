package io.tributary.eventsjob;

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

import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.LakeOptions;
import io.tributary.delta.DeltaSinkConfig;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.config.JobParameters;
import io.tributary.config.Secret;
import io.tributary.config.Secrets;
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
  private final EventTimePolicy eventTimePolicy;
  private final Integer parallelism;
  private final Map<String, String> sinkOptions;
  private final DeltaSinkConfig sink;
  private final Map<String, String> hadoopOptions;

  private EventsJobConfig(Reader r) {
    this.streamName = r.streamName;
    this.streamArn = r.streamArn;
    this.region = r.region;
    this.endpoint = r.endpoint;
    this.initialPosition = r.initialPosition;
    this.initialTimestamp = r.initialTimestamp;
    this.consumerType = r.consumerType;
    this.efoConsumerName = r.efoConsumerName;
    this.efoRegistration = r.efoRegistration;
    this.shardDiscoveryInterval = r.shardDiscoveryInterval;
    this.pollingInterval = r.pollingInterval;
    this.pollingMaxRecords = r.pollingMaxRecords;
    this.accessKeyId = r.accessKeyId;
    this.secretAccessKey = r.secretAccessKey;
    this.kinesisProperties = Collections.unmodifiableMap(new TreeMap<>(r.kinesisProperties));
    this.lakePath = r.lakePath;
    this.atomicEventsTable = r.atomicEventsTable;
    this.quarantineTable = r.quarantineTable;
    this.maxPayloadBytes = r.maxPayloadBytes;
    this.dedupWindow = r.dedupWindow;
    this.eventTimePolicy = new EventTimePolicy(r.maxEventAge, r.maxFutureSkew);
    this.parallelism = r.parallelism;
    this.sinkOptions = Collections.unmodifiableMap(new TreeMap<>(r.sinkOptions));
    this.hadoopOptions = Collections.unmodifiableMap(new TreeMap<>(r.hadoopOptions));
    this.sink = r.sink;
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
    Reader reader = new Reader(params, secrets, environment);
    reader.read();
    InvalidConfigurationException.throwIfAny("events-job", reader.problems);
    return new EventsJobConfig(reader);
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
        + ", maxEventAge=" + eventTimePolicy.maxAge()
        + ", maxFutureSkew=" + eventTimePolicy.maxFutureSkew()
        + ", parallelism=" + (parallelism != null ? parallelism : "default")
        // JobParameters.toString masks secret-looking keys (e.g. fs.s3a.secret.key).
        + ", sinkOptions=" + JobParameters.of(sinkOptions)
        + ", hadoopOptions=" + JobParameters.of(hadoopOptions)
        + "}";
  }

  /** Reads and checks each option, collecting problems instead of failing on the first. */
  private static final class Reader {
    private final JobParameters params;
    private final Secrets secrets;
    private final Function<String, String> environment;
    final List<String> problems = new ArrayList<>();

    String streamName;
    String streamArn;
    String region;
    String endpoint;
    InitialPosition initialPosition;
    Instant initialTimestamp;
    ConsumerType consumerType;
    String efoConsumerName;
    EfoRegistration efoRegistration;
    Duration shardDiscoveryInterval;
    Duration pollingInterval;
    int pollingMaxRecords;
    String accessKeyId;
    Secret secretAccessKey;
    Map<String, String> kinesisProperties = Map.of();
    String lakePath;
    String atomicEventsTable;
    String quarantineTable;
    int maxPayloadBytes;
    Duration dedupWindow;
    Duration maxEventAge = Duration.ZERO;
    Duration maxFutureSkew = Duration.ZERO;
    Integer parallelism;
    Map<String, String> sinkOptions = Map.of();
    Map<String, String> hadoopOptions = Map.of();
    DeltaSinkConfig sink;

    Reader(JobParameters params, Secrets secrets, Function<String, String> environment) {
      this.params = params;
      this.secrets = secrets;
      this.environment = environment;
    }

    void read() {
      checkUnknownKeys();
      readStream();
      readPosition();
      readConsumer();
      readCredentials();
      readLake();
      readEvents();
      readPassThrough();
    }

    /** A mistyped key (kinesis.regoin) would silently fall back to a default: refuse it. */
    private void checkUnknownKeys() {
      Set<String> known = new TreeSet<>();
      EventsJobOptions.ALL.forEach(o -> known.add(o.key()));
      io.tributary.config.CheckpointOptions.ALL.forEach(o -> known.add(o.key()));
      known.addAll(io.tributary.config.Secrets.keysRead(KINESIS_SECRET_ACCESS_KEY.key()));
      DeltaSinkOptions.ALL.forEach(o -> known.add(LakeOptions.SINK_PREFIX + o.key()));
      problems.addAll(new io.tributary.config.UnknownKeys(known,
              List.of("kinesis.", "lake.", "events.", "checkpoint.", LakeOptions.SINK_PREFIX),
              List.of(KINESIS_PROPERTY_PREFIX))
          .problems(params.asMap().keySet(), "EventsJobOptions (events-job README; raw connector properties go in "
              + KINESIS_PROPERTY_PREFIX + "<key>)"));
    }

    private void readStream() {
      String stream = get(KINESIS_STREAM);
      String configuredRegion = blankToNull(get(KINESIS_REGION));
      String arnRegion = null;
      if (stream == null || stream.isBlank()) {
        problems.add(KINESIS_STREAM.key() + " is required: the stream name or ARN");
      } else if (stream.startsWith("arn:")) {
        Matcher m = STREAM_ARN.matcher(stream);
        if (m.matches()) {
          streamArn = stream;
          streamName = m.group(4);
          arnRegion = m.group(2);
        } else {
          problems.add(KINESIS_STREAM.key() + " '" + stream
              + "' is not a stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)");
        }
      } else if (STREAM_NAME.matcher(stream).matches()) {
        streamName = stream;
      } else {
        problems.add(KINESIS_STREAM.key() + " '" + stream + "' is not a stream name (1-128 of a-z A-Z 0-9 _ . -)");
      }

      if (configuredRegion != null && arnRegion != null && !configuredRegion.equals(arnRegion)) {
        problems.add(KINESIS_REGION.key() + " '" + configuredRegion + "' differs from the stream ARN's region '"
            + arnRegion + "'");
      }
      region = configuredRegion != null ? configuredRegion : arnRegion;
      if (region == null) {
        region = blankToNull(environment.apply("AWS_REGION"));
      }
      if (region == null) {
        region = blankToNull(environment.apply("AWS_DEFAULT_REGION"));
      }
      if (region == null) {
        problems.add(KINESIS_REGION.key()
            + " is required (or give the stream as an ARN, or set AWS_REGION)");
      }

      endpoint = blankToNull(get(KINESIS_ENDPOINT));
      if (endpoint != null) {
        try {
          URI uri = new URI(endpoint);
          if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            problems.add(KINESIS_ENDPOINT.key() + " '" + endpoint + "' must be an http:// or https:// URL");
          }
        } catch (URISyntaxException e) {
          problems.add(KINESIS_ENDPOINT.key() + " '" + endpoint + "' is not a URL: " + e.getMessage());
        }
      }
    }

    private void readPosition() {
      initialPosition = orDefault(KINESIS_INITIAL_POSITION);
      String timestamp = blankToNull(get(KINESIS_INITIAL_TIMESTAMP));
      if (initialPosition == InitialPosition.AT_TIMESTAMP) {
        if (timestamp == null) {
          problems.add(KINESIS_INITIAL_TIMESTAMP.key() + " is required with "
              + KINESIS_INITIAL_POSITION.key() + "=AT_TIMESTAMP");
        } else {
          initialTimestamp = parseInstant(timestamp);
        }
      } else if (timestamp != null) {
        problems.add(KINESIS_INITIAL_TIMESTAMP.key() + " is only used with "
            + KINESIS_INITIAL_POSITION.key() + "=AT_TIMESTAMP (is " + initialPosition + ")");
      }
    }

    private Instant parseInstant(String value) {
      if (value.matches("-?\\d{1,18}")) {
        return Instant.ofEpochMilli(Long.parseLong(value));
      }
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        problems.add(KINESIS_INITIAL_TIMESTAMP.key() + " '" + value
            + "' is neither an ISO-8601 instant with offset nor epoch milliseconds");
        return null;
      }
    }

    private void readConsumer() {
      consumerType = orDefault(KINESIS_CONSUMER_TYPE);
      efoRegistration = orDefault(KINESIS_EFO_REGISTRATION);
      String name = blankToNull(get(KINESIS_EFO_CONSUMER_NAME));
      if (consumerType == ConsumerType.EFO) {
        if (name == null) {
          problems.add(KINESIS_EFO_CONSUMER_NAME.key() + " is required with " + KINESIS_CONSUMER_TYPE.key() + "=EFO");
        }
        efoConsumerName = name;
      } else if (name != null) {
        problems.add(KINESIS_EFO_CONSUMER_NAME.key() + " is only used with " + KINESIS_CONSUMER_TYPE.key()
            + "=EFO (is " + consumerType + ")");
      }
      shardDiscoveryInterval = positive(KINESIS_SHARD_DISCOVERY_INTERVAL);
      pollingInterval = orDefault(KINESIS_POLLING_INTERVAL);
      if (pollingInterval != null && pollingInterval.isNegative()) {
        problems.add(KINESIS_POLLING_INTERVAL.key() + " must not be negative");
      }
      Integer maxRecords = orDefault(KINESIS_POLLING_MAX_RECORDS);
      if (maxRecords != null && (maxRecords < 1 || maxRecords > 10_000)) {
        problems.add(KINESIS_POLLING_MAX_RECORDS.key() + " must be within 1..10000, was " + maxRecords);
      }
      pollingMaxRecords = maxRecords == null ? 0 : maxRecords;
    }

    private void readCredentials() {
      String keyId = blankToNull(get(KINESIS_ACCESS_KEY_ID));
      Secret secret = null;
      try {
        secret = secrets.resolve(params, KINESIS_SECRET_ACCESS_KEY.key(), null).orElse(null);
      } catch (RuntimeException e) {
        // Secrets' messages never contain the value.
        problems.add(e.getMessage());
      }
      if (keyId != null && secret == null) {
        problems.add(KINESIS_ACCESS_KEY_ID.key() + " is set but " + KINESIS_SECRET_ACCESS_KEY.key()
            + " (or " + KINESIS_SECRET_ACCESS_KEY.key() + ".env) is not");
      } else if (keyId == null && secret != null) {
        problems.add(KINESIS_SECRET_ACCESS_KEY.key() + " is set but " + KINESIS_ACCESS_KEY_ID.key() + " is not");
      } else {
        accessKeyId = keyId;
        secretAccessKey = secret;
      }
    }

    private void readLake() {
      lakePath = LakeOptions.normalizeLakePath(get(LAKE_PATH));
      if (lakePath == null) {
        problems.add(LAKE_PATH.key() + " is required: the folder of the silver tables (local path or s3a://...)");
      }
      atomicEventsTable = tableName(LAKE_ATOMIC_EVENTS_TABLE);
      quarantineTable = tableName(LAKE_QUARANTINE_TABLE);
      if (atomicEventsTable != null && atomicEventsTable.equals(quarantineTable)) {
        problems.add(LAKE_ATOMIC_EVENTS_TABLE.key() + " and " + LAKE_QUARANTINE_TABLE.key()
            + " must differ, both are '" + atomicEventsTable + "'");
      }
    }

    private String tableName(ConfigOption<String> option) {
      String name = orDefault(option);
      if (name == null || !TABLE_NAME.matcher(name).matches() || name.contains("..")) {
        problems.add(option.key() + " '" + name + "' must be a folder name (letters, digits, _ . -)");
        return null;
      }
      return name;
    }

    private void readEvents() {
      Integer max = orDefault(EVENTS_MAX_PAYLOAD_BYTES);
      if (max != null && max <= 0) {
        problems.add(EVENTS_MAX_PAYLOAD_BYTES.key() + " must be positive, was " + max);
      }
      maxPayloadBytes = max == null ? 0 : max;
      dedupWindow = orDefault(EVENTS_DEDUP_WINDOW);
      if (dedupWindow != null && dedupWindow.isNegative()) {
        problems.add(EVENTS_DEDUP_WINDOW.key() + " must not be negative (0 disables deduplication)");
      }
      maxEventAge = nonNegative(EVENTS_MAX_EVENT_AGE);
      maxFutureSkew = nonNegative(EVENTS_MAX_FUTURE_SKEW);
      if (params.contains(EVENTS_PARALLELISM.key())) {
        parallelism = orDefault(EVENTS_PARALLELISM);
        if (parallelism != null && parallelism < 1) {
          problems.add(EVENTS_PARALLELISM.key() + " must be at least 1, was " + parallelism);
        }
      }
    }

    /** The option's duration; a missing, invalid or negative one is reported and read as 0. */
    private Duration nonNegative(ConfigOption<Duration> option) {
      Duration d = orDefault(option);
      if (d != null && d.isNegative()) {
        problems.add(option.key() + " must not be negative (0 disables the check)");
      }
      return d == null || d.isNegative() ? Duration.ZERO : d;
    }

    private void readPassThrough() {
      sinkOptions = params.withPrefix(LakeOptions.SINK_PREFIX);
      for (String key : sinkOptions.keySet()) {
        if (RESERVED_SINK_OPTIONS.contains(key)) {
          problems.add(LakeOptions.SINK_PREFIX + key + " is set by the job itself and cannot be overridden");
        }
      }
      hadoopOptions = params.withPrefix(LakeOptions.HADOOP_PREFIX);
      // The sink options are checked here, with the job's; the table path is the lake's (or a
      // stand-in when lake.path is missing, reported above) until sinkConfig sets a table's.
      Map<String, String> options = LakeOptions.sinkOptions(params, false);
      RESERVED_SINK_OPTIONS.forEach(options::remove);
      options.put(DeltaSinkOptions.TABLE_PATH.key(), lakePath == null ? "." : lakePath);
      sink = DeltaSinkConfig.read(options, LakeOptions.SINK_PREFIX, problems);
      kinesisProperties = params.withPrefix(KINESIS_PROPERTY_PREFIX);
    }

    private Duration positive(ConfigOption<Duration> option) {
      Duration d = orDefault(option);
      if (d != null && (d.isNegative() || d.isZero())) {
        problems.add(option.key() + " must be positive, was " + d);
      }
      return d;
    }

    /** The typed value or default; a malformed value becomes a problem and null. */
    private <T> T orDefault(ConfigOption<T> option) {
      try {
        return params.get(option);
      } catch (InvalidConfigurationException e) {
        problems.add(e.getMessage());
        return null;
      }
    }

    private String get(ConfigOption<String> option) {
      return orDefault(option);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.trim();
    }
  }
}
