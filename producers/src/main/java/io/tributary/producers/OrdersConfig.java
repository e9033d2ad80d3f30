package io.tributary.producers;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Settings of an {@link OrdersProducer}. Immutable; built with {@link #builder()}, validated by
 * {@link Builder#build()} (which throws {@link IllegalArgumentException} naming the bad setting).
 * {@link #toString()} never shows the password.
 */
public final class OrdersConfig {

  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Map<String, String> jdbcProperties;
  private final String table;
  private final boolean createSchema;
  private final String producerId;
  private final long seed;
  private final OrderMix mix;
  private final int transactionSize;
  private final Rate rate;
  private final RunLimits limits;
  private final int maxTrackedOrders;
  private final Duration reconnectTimeout;
  private final Backoff.Policy backoff;

  private OrdersConfig(Builder b) {
    this.jdbcUrl = b.jdbcUrl;
    this.user = b.user;
    this.password = b.password;
    this.jdbcProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.jdbcProperties));
    this.table = b.table;
    this.createSchema = b.createSchema;
    this.producerId = b.producerId != null ? b.producerId : "orders-producer:" + b.table;
    this.seed = b.seed != null ? b.seed : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    this.mix = b.mix;
    this.transactionSize = b.transactionSize;
    this.rate = b.rate;
    this.limits = RunLimits.of(b.count, b.duration);
    this.maxTrackedOrders = b.maxTrackedOrders;
    this.reconnectTimeout = b.reconnectTimeout;
    this.backoff = b.backoff;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** Null: the URL or the driver's default decides. */
  public String user() {
    return user;
  }

  /** Null when none (trust authentication, or given in the URL). */
  public String password() {
    return password;
  }

  /** Extra driver properties (sslmode, sslrootcert, ...). */
  public Map<String, String> jdbcProperties() {
    return jdbcProperties;
  }

  /** Table name, optionally schema-qualified. */
  public String table() {
    return table;
  }

  public boolean createSchema() {
    return createSchema;
  }

  /** Key of this producer's row in {@code tributary_producer_progress}. */
  public String producerId() {
    return producerId;
  }

  /** The seed in use (random when none was set: print it to reproduce a run). */
  public long seed() {
    return seed;
  }

  public OrderMix mix() {
    return mix;
  }

  /** Operations per transaction. */
  public int transactionSize() {
    return transactionSize;
  }

  /** Operations per second. */
  public Rate rate() {
    return rate;
  }

  /** When the run ends by itself; the count is in operations. */
  public RunLimits limits() {
    return limits;
  }

  public int maxTrackedOrders() {
    return maxTrackedOrders;
  }

  /** How long to keep reconnecting after the database went away before failing. */
  public Duration reconnectTimeout() {
    return reconnectTimeout;
  }

  /** Delays between retries (the jitter is seeded from {@link #seed()}). */
  Backoff.Policy backoff() {
    return backoff;
  }

  /** The URL with any {@code password=} parameter masked, safe to print. */
  public static String redactUrl(String url) {
    return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1******");
  }

  @Override
  public String toString() {
    return "OrdersConfig{url=" + redactUrl(jdbcUrl) + ", user=" + user + ", password="
        + (password == null ? "none" : "******") + ", table=" + table + ", createSchema=" + createSchema
        + ", producerId=" + producerId + ", seed=" + seed + ", mix=" + mix + ", transactionSize="
        + transactionSize + ", rate=" + rate + ", limits=" + limits + "}";
  }

  /** Builder; {@link #jdbcUrl} is required, everything else has a default. */
  public static final class Builder {
    private String jdbcUrl;
    private String user;
    private String password;
    private final Map<String, String> jdbcProperties = new LinkedHashMap<>();
    private String table = "orders";
    private boolean createSchema = true;
    private String producerId;
    private Long seed;
    private OrderMix mix = OrderMix.DEFAULT;
    private int transactionSize = 1;
    private Rate rate = Rate.perSecond(5);
    private long count;
    private Duration duration;
    private int maxTrackedOrders = OrderGenerator.DEFAULT_MAX_TRACKED;
    private Duration reconnectTimeout = Duration.ofMinutes(2);
    private Backoff.Policy backoff = Backoff.Policy.DEFAULT;

    private Builder() {}

    /** {@code jdbc:postgresql://host:port/database}. */
    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder password(String password) {
      this.password = password;
      return this;
    }

    public Builder jdbcProperty(String key, String value) {
      jdbcProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    public Builder jdbcProperties(Map<String, String> properties) {
      properties.forEach(this::jdbcProperty);
      return this;
    }

    /** Default {@code orders}; may be schema-qualified ({@code shop.orders}). */
    public Builder table(String table) {
      this.table = table;
      return this;
    }

    /** Default true: create the table (and indexes) if absent. */
    public Builder createSchema(boolean createSchema) {
      this.createSchema = createSchema;
      return this;
    }

    /** Default {@code orders-producer:<table>}; two producers running at once need different ids. */
    public Builder producerId(String producerId) {
      this.producerId = producerId;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder mix(OrderMix mix) {
      this.mix = Objects.requireNonNull(mix);
      return this;
    }

    public Builder transactionSize(int transactionSize) {
      this.transactionSize = transactionSize;
      return this;
    }

    public Builder rate(Rate rate) {
      this.rate = Objects.requireNonNull(rate);
      return this;
    }

    /** Operations to produce; 0 (default) = until the duration ends or {@link Producer#stop()}. */
    public Builder count(long count) {
      this.count = count;
      return this;
    }

    /** Null (default) = until the count is reached or {@link Producer#stop()}. */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    public Builder maxTrackedOrders(int maxTrackedOrders) {
      this.maxTrackedOrders = maxTrackedOrders;
      return this;
    }

    public Builder reconnectTimeout(Duration reconnectTimeout) {
      this.reconnectTimeout = Objects.requireNonNull(reconnectTimeout);
      return this;
    }

    /** Retry delays: {@code initial} doubling up to {@code max}, with jitter (default 100 ms..5 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.backoff = new Backoff.Policy(Objects.requireNonNull(initial), Objects.requireNonNull(max));
      return this;
    }

    public OrdersConfig build() {
      if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql: (got " + redactUrl(jdbcUrl) + ")");
      }
      if (table == null || !TABLE.matcher(table).matches()) {
        throw new IllegalArgumentException("'" + table + "' is not a valid table name (letters, digits, _; optionally schema.table)");
      }
      if (transactionSize < 1 || transactionSize > 10_000) {
        throw new IllegalArgumentException("the transaction size must be between 1 and 10000 (got " + transactionSize + ")");
      }
      RunLimits.of(count, duration); // validates
      if (maxTrackedOrders < 1) {
        throw new IllegalArgumentException("max tracked orders must be >= 1");
      }
      if (producerId != null && producerId.isBlank()) {
        throw new IllegalArgumentException("the producer id must not be blank");
      }
      return new OrdersConfig(this);
    }
  }
}
