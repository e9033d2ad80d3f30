package io.tributary.producers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Settings of an {@link EventsProducer}. Immutable; built with {@link #builder()}, validated by
 * {@link Builder#build()} (which throws {@link IllegalArgumentException} naming the bad setting).
 */
public final class EventsConfig {

  /** PutRecords limits. */
  public static final int MAX_BATCH_RECORDS = 500;
  public static final int MAX_BATCH_BYTES = 5 * 1024 * 1024;

  private final String stream;
  private final String region;
  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final KinesisClient client;
  private final long seed;
  private final Instant startTime;
  private final Rate rate;
  private final RunLimits limits;
  private final double malformedRate;
  private final double duplicateRate;
  private final int batchRecords;
  private final int batchBytes;
  private final Duration linger;
  private final int maxAttempts;
  private final Backoff.Policy backoff;

  private EventsConfig(Builder b) {
    this.stream = b.stream;
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.credentials = b.credentials;
    this.client = b.client;
    this.seed = b.seed != null ? b.seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    this.startTime = b.startTime != null ? b.startTime : Instant.now();
    this.rate = b.rate;
    this.limits = RunLimits.of(b.count, b.duration);
    this.malformedRate = b.malformedRate;
    this.duplicateRate = b.duplicateRate;
    this.batchRecords = b.batchRecords;
    this.batchBytes = b.batchBytes;
    this.linger = b.linger;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String stream() {
    return stream;
  }

  /** Null: the default region provider chain (AWS_REGION, profile...). */
  public String region() {
    return region;
  }

  /** Null: the regional AWS endpoint. */
  public URI endpoint() {
    return endpoint;
  }

  /** Null: the default credential provider chain. */
  public AwsCredentialsProvider credentials() {
    return credentials;
  }

  /** A client supplied by the caller (owned by the caller), or null to build one. */
  public KinesisClient client() {
    return client;
  }

  /** The seed in use (random when none was set). */
  public long seed() {
    return seed;
  }

  /** Event time of the first simulated session (default: when the config was built). */
  public Instant startTime() {
    return startTime;
  }

  /** Records per second (all kinds). */
  public Rate rate() {
    return rate;
  }

  /** When the run ends by itself; the count is in records of every kind. */
  public RunLimits limits() {
    return limits;
  }

  public double malformedRate() {
    return malformedRate;
  }

  public double duplicateRate() {
    return duplicateRate;
  }

  public int batchRecords() {
    return batchRecords;
  }

  public int batchBytes() {
    return batchBytes;
  }

  /** Longest time a record waits for its batch to fill. */
  public Duration linger() {
    return linger;
  }

  /** Attempts per record (first try included) before the producer fails. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Delays between retries (the jitter is seeded from {@link #seed()}). */
  Backoff.Policy backoff() {
    return backoff;
  }

  @Override
  public String toString() {
    return "EventsConfig{stream=" + stream + ", region=" + region + ", endpoint=" + endpoint + ", seed=" + seed
        + ", startTime=" + startTime + ", rate=" + rate + ", limits=" + limits
        + ", malformedRate=" + malformedRate + ", duplicateRate=" + duplicateRate + ", batchRecords="
        + batchRecords + ", linger=" + linger + ", maxAttempts=" + maxAttempts + "}";
  }

  /** Builder; {@link #stream} is required, everything else has a default. */
  public static final class Builder {
    private String stream;
    private String region;
    private URI endpoint;
    private AwsCredentialsProvider credentials;
    private KinesisClient client;
    private Long seed;
    private Instant startTime;
    private Rate rate = Rate.perSecond(50);
    private long count;
    private Duration duration;
    private double malformedRate;
    private double duplicateRate;
    private int batchRecords = MAX_BATCH_RECORDS;
    private int batchBytes = MAX_BATCH_BYTES;
    private Duration linger = Duration.ofMillis(200);
    private int maxAttempts = 10;
    private Backoff.Policy backoff = Backoff.Policy.DEFAULT;

    private Builder() {}

    /** Stream name (required). */
    public Builder stream(String stream) {
      this.stream = stream;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** e.g. the emulator's {@code http://127.0.0.1:4567}. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Use this client (region, endpoint and credentials are then ignored); the caller closes it. */
    public Builder client(KinesisClient client) {
      this.client = client;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Fix it (with the seed) for byte-identical runs. */
    public Builder startTime(Instant startTime) {
      this.startTime = startTime;
      return this;
    }

    public Builder rate(Rate rate) {
      this.rate = Objects.requireNonNull(rate);
      return this;
    }

    public Builder count(long count) {
      this.count = count;
      return this;
    }

    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder malformedRate(double malformedRate) {
      this.malformedRate = malformedRate;
      return this;
    }

    public Builder duplicateRate(double duplicateRate) {
      this.duplicateRate = duplicateRate;
      return this;
    }

    /** At most 500 (the PutRecords limit). */
    public Builder batchRecords(int batchRecords) {
      this.batchRecords = batchRecords;
      return this;
    }

    /** At most 5 MiB (the PutRecords limit). */
    public Builder batchBytes(int batchBytes) {
      this.batchBytes = batchBytes;
      return this;
    }

    public Builder linger(Duration linger) {
      this.linger = Objects.requireNonNull(linger);
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Retry delays: {@code initial} doubling up to {@code max}, with jitter (default 100 ms..5 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.backoff = new Backoff.Policy(Objects.requireNonNull(initial), Objects.requireNonNull(max));
      return this;
    }

    public EventsConfig build() {
      if (stream == null || !stream.matches("[a-zA-Z0-9_.-]{1,128}")) {
        throw new IllegalArgumentException("'" + stream + "' is not a valid Kinesis stream name (1-128 of a-z A-Z 0-9 _ . -)");
      }
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
        throw new IllegalArgumentException("'" + endpoint + "' is not an endpoint URL (e.g. http://127.0.0.1:4567)");
      }
      RunLimits.of(count, duration); // validates
      if (!(malformedRate >= 0 && malformedRate <= 1)) {
        throw new IllegalArgumentException("the malformed rate must be between 0 and 1 (got " + malformedRate + ")");
      }
      if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
        throw new IllegalArgumentException("the duplicate rate must be between 0 and 1 (got " + duplicateRate + ")");
      }
      if (malformedRate + duplicateRate > 1) {
        throw new IllegalArgumentException("the malformed and duplicate rates must sum to at most 1");
      }
      if (batchRecords < 1 || batchRecords > MAX_BATCH_RECORDS) {
        throw new IllegalArgumentException("the batch size must be between 1 and 500 records (got " + batchRecords + ")");
      }
      if (batchBytes < 1024 * 1024 || batchBytes > MAX_BATCH_BYTES) {
        throw new IllegalArgumentException("the batch bytes must be between 1 MiB and 5 MiB (got " + batchBytes + ")");
      }
      if (linger.isNegative()) {
        throw new IllegalArgumentException("the linger time must not be negative");
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("max attempts must be >= 1 (got " + maxAttempts + ")");
      }
      return new EventsConfig(this);
    }
  }
}
