package io.tributary.cdc.config;

import io.tributary.cdc.silver.TableName;
import io.tributary.delta.DeltaSinkConfig;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.config.ConfigReader;
import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.LakeOptions;
import io.tributary.config.Secret;
import io.tributary.config.Secrets;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;

/**
 * The validated configuration of the CDC job; {@link #from} reports every problem at once. The
 * password is a {@link Secret} and never printed.
 */
public final class CdcJobConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  /** libpq's sslmode values, weakest first. */
  static final List<String> SSL_MODES =
      Collections.unmodifiableList(java.util.Arrays.asList("disable", "allow", "prefer", "require", "verify-ca", "verify-full"));

  /**
   * The keys this job reads: a mistyped one in its namespaces ({@code postgres.}, {@code cdc.},
   * {@code lake.}, {@code checkpoint.}, {@code warehouse.}, {@code sink.} (the Delta sink's options), bare keys) is
   * refused, not silently replaced by a default. {@code hadoop.}, {@code table.property.} and
   * {@code debezium.} keys are handed on.
   */
  private static final io.tributary.config.UnknownKeys KEYS = knownKeys();

  private static io.tributary.config.UnknownKeys knownKeys() {
    List<String> known = new ArrayList<>();
    CdcJobOptions.ALL.forEach(o -> known.add(o.key()));
    io.tributary.config.CheckpointOptions.ALL.forEach(o -> known.add(o.key()));
    known.addAll(io.tributary.config.Secrets.keysRead(CdcJobOptions.POSTGRES_PASSWORD.key()));
    DeltaSinkOptions.ALL.forEach(o -> known.add(LakeOptions.SINK_PREFIX + o.key()));
    known.addAll(io.tributary.cdc.warehouse.WarehouseConfig.knownKeys());
    return new io.tributary.config.UnknownKeys(known,
        List.of("postgres.", "cdc.", "lake.", "checkpoint.", "warehouse.", LakeOptions.SINK_PREFIX),
        List.of(LakeOptions.HADOOP_PREFIX, LakeOptions.TABLE_PROPERTY_PREFIX, "debezium."));
  }

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final Secret password;
  private final String sslMode;
  private final String sslRootCert;
  private final List<TableName> tables;
  private final String slotName;
  private final String publicationName;
  private final boolean createPublication;
  private final Map<TableName, String> eventTimeColumns;
  private final Duration heartbeatInterval;
  private final String heartbeatQuery;
  private final String lakePath;
  private final String sinkIdPrefix;
  private final int parallelism;
  private final String uidPrefix;
  private final boolean acceptSlotAhead;
  private final long transactionBufferBytes;
  private final DeltaSinkConfig sink;
  private final Map<String, String> debeziumOverrides;
  /** The warehouse sink's settings, or null without one. */
  private final io.tributary.cdc.warehouse.WarehouseConfig warehouse;

  private CdcJobConfig(JobParameters p, Secret password, List<TableName> tables, Map<TableName, String> eventTime,
      DeltaSinkConfig sink, io.tributary.cdc.warehouse.WarehouseConfig warehouse) {
    this.warehouse = warehouse;
    this.host = p.get(CdcJobOptions.POSTGRES_HOST);
    this.port = p.get(CdcJobOptions.POSTGRES_PORT);
    this.database = p.get(CdcJobOptions.POSTGRES_DATABASE);
    this.user = p.get(CdcJobOptions.POSTGRES_USER);
    this.password = password;
    this.sslMode = p.get(CdcJobOptions.POSTGRES_SSLMODE).trim().toLowerCase(Locale.ROOT);
    String rootCert = p.raw(CdcJobOptions.POSTGRES_SSLROOTCERT.key());
    this.sslRootCert = rootCert == null || rootCert.trim().isEmpty() ? null : rootCert.trim();
    this.tables = Collections.unmodifiableList(tables);
    this.slotName = p.get(CdcJobOptions.SLOT_NAME);
    this.publicationName = p.get(CdcJobOptions.PUBLICATION_NAME);
    this.createPublication = p.get(CdcJobOptions.PUBLICATION_CREATE);
    this.eventTimeColumns = Collections.unmodifiableMap(eventTime);
    this.heartbeatInterval = p.get(CdcJobOptions.HEARTBEAT_INTERVAL);
    this.heartbeatQuery = p.get(CdcJobOptions.HEARTBEAT_QUERY).trim();
    this.lakePath = LakeOptions.normalizeLakePath(p.get(CdcJobOptions.LAKE_PATH));
    this.sinkIdPrefix = p.get(CdcJobOptions.SINK_ID_PREFIX);
    this.parallelism = p.get(CdcJobOptions.PARALLELISM);
    this.uidPrefix = p.get(CdcJobOptions.UID_PREFIX);
    this.acceptSlotAhead = p.get(CdcJobOptions.RESTORE_ACCEPT_SLOT_AHEAD);
    this.transactionBufferBytes = p.get(CdcJobOptions.TRANSACTION_BUFFER_MEMORY).getBytes();
    this.sink = sink;
    this.debeziumOverrides = Collections.unmodifiableMap(new TreeMap<>(p.withPrefix("debezium.")));
  }

  /** Reads and validates the job's parameters. */
  public static CdcJobConfig from(JobParameters params) {
    return from(params, new Secrets());
  }

  /**
   * Reads and validates the job's parameters.
   *
   * @throws InvalidConfigurationException listing every problem
   */
  public static CdcJobConfig from(JobParameters params, Secrets secrets) {
    ConfigReader r = new ConfigReader(params);
    r.rejectUnknownKeys(KEYS, "CdcJobOptions (cdc-job README, docs/options.md)");
    r.required(CdcJobOptions.POSTGRES_DATABASE, "");
    r.required(CdcJobOptions.POSTGRES_USER, "");
    r.required(CdcJobOptions.LAKE_PATH, "");
    Integer port = r.get(CdcJobOptions.POSTGRES_PORT);
    r.check(port == null || (port >= 1 && port <= 65535), CdcJobOptions.POSTGRES_PORT.key() + " must be 1..65535, was " + port);
    identifier(r, CdcJobOptions.SLOT_NAME);
    identifier(r, CdcJobOptions.PUBLICATION_NAME);
    Integer parallelism = r.get(CdcJobOptions.PARALLELISM);
    r.check(parallelism == null || parallelism >= 1, CdcJobOptions.PARALLELISM.key() + " must be at least 1");
    Duration hb = r.get(CdcJobOptions.HEARTBEAT_INTERVAL);
    r.check(hb == null || !(hb.isNegative() || hb.isZero()), CdcJobOptions.HEARTBEAT_INTERVAL.key() + " must be positive");
    r.get(CdcJobOptions.PUBLICATION_CREATE);
    checkTls(r);
    r.get(CdcJobOptions.RESTORE_ACCEPT_SLOT_AHEAD);
    MemorySize buffer = r.get(CdcJobOptions.TRANSACTION_BUFFER_MEMORY);
    r.check(buffer == null || buffer.getBytes() >= 1024, CdcJobOptions.TRANSACTION_BUFFER_MEMORY.key() + " must be at least 1 KiB");
    List<TableName> tables = tables(r);
    Map<TableName, String> eventTime = eventTimeColumns(r, tables);
    Secret password = r.secret(secrets, CdcJobOptions.POSTGRES_PASSWORD.key(), "PGPASSWORD").orElse(null);
    DeltaSinkConfig sink = sharedSinkConfig(params, r.problems());
    io.tributary.cdc.warehouse.WarehouseConfig warehouse =
        io.tributary.cdc.warehouse.WarehouseConfig.from(params, secrets, tables, r.problems()).orElse(null);
    r.throwIfAny("cdc-job");
    return new CdcJobConfig(params, password, tables, eventTime, sink, warehouse);
  }

  /** sslmode is one of libpq's; the verify modes need a CA bundle, and a bundle needs a verify mode. */
  private static void checkTls(ConfigReader r) {
    String mode = r.get(CdcJobOptions.POSTGRES_SSLMODE).trim().toLowerCase(Locale.ROOT);
    boolean hasRootCert = r.optional(CdcJobOptions.POSTGRES_SSLROOTCERT) != null;
    if (!SSL_MODES.contains(mode)) {
      r.problem(CdcJobOptions.POSTGRES_SSLMODE.key() + " must be one of " + SSL_MODES + ", was '" + mode + "'");
    } else if (mode.startsWith("verify-") && !hasRootCert) {
      r.problem(CdcJobOptions.POSTGRES_SSLMODE.key() + "=" + mode + " needs " + CdcJobOptions.POSTGRES_SSLROOTCERT.key()
          + " (the CA bundle that signs the server's certificate; for RDS the RDS CA bundle)");
    } else if (hasRootCert && !mode.startsWith("verify-")) {
      r.problem(CdcJobOptions.POSTGRES_SSLROOTCERT.key() + " is only used with " + CdcJobOptions.POSTGRES_SSLMODE.key()
          + " verify-ca or verify-full, but the mode is " + mode + ": the certificate would not be checked");
    }
  }

  /** The captured tables, each once. */
  private static List<TableName> tables(ConfigReader r) {
    Set<TableName> seen = new LinkedHashSet<>();
    for (String t : r.get(CdcJobOptions.TABLES).split(",")) {
      if (t.trim().isEmpty()) {
        continue;
      }
      try {
        TableName name = TableName.parse(t);
        r.check(seen.add(name), CdcJobOptions.TABLES.key() + " lists " + name + " twice");
      } catch (IllegalArgumentException e) {
        r.problem(CdcJobOptions.TABLES.key() + ": " + e.getMessage());
      }
    }
    r.check(!seen.isEmpty(), CdcJobOptions.TABLES.key() + " names no table");
    return new ArrayList<>(seen);
  }

  /** The event-time column of each listed table; every table must be a captured one. */
  private static Map<TableName, String> eventTimeColumns(ConfigReader r, List<TableName> tables) {
    Map<TableName, String> eventTime = new LinkedHashMap<>();
    for (String spec : r.get(CdcJobOptions.EVENT_TIME_COLUMNS).split(",")) {
      String s = spec.trim().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      int dot = s.lastIndexOf('.');
      if (dot <= 0 || dot == s.length() - 1) {
        r.problem(CdcJobOptions.EVENT_TIME_COLUMNS.key() + ": '" + spec.trim() + "' is not table.column");
        continue;
      }
      try {
        TableName table = TableName.parse(s.substring(0, dot));
        if (r.check(tables.contains(table), CdcJobOptions.EVENT_TIME_COLUMNS.key() + ": " + table + " is not a captured table")) {
          eventTime.put(table, s.substring(dot + 1));
        }
      } catch (IllegalArgumentException e) {
        r.problem(CdcJobOptions.EVENT_TIME_COLUMNS.key() + ": " + e.getMessage());
      }
    }
    return eventTime;
  }

  private static void identifier(ConfigReader r, ConfigOption<String> option) {
    String value = r.get(option);
    r.check(IDENTIFIER.matcher(value).matches(),
        option.key() + " must be a lower-case PostgreSQL identifier ([a-z_][a-z0-9_]*), was '" + value + "'");
  }

  /**
   * The Delta sink options every silver table shares, validated with the job's own (the table path
   * is the lake's until {@link #sinkConfig} sets a table's).
   */
  private static DeltaSinkConfig sharedSinkConfig(JobParameters params, List<String> problems) {
    Map<String, String> options = LakeOptions.sinkOptions(params, true);
    String lake = LakeOptions.normalizeLakePath(params.raw(CdcJobOptions.LAKE_PATH.key()));
    // Without lake.path (reported above) the sink options are still checked, against a stand-in.
    options.put(DeltaSinkOptions.TABLE_PATH.key(), lake == null ? "." : lake);
    return DeltaSinkConfig.read(options, LakeOptions.SINK_PREFIX, problems);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String database() {
    return database;
  }

  public String user() {
    return user;
  }

  /** The password, or null when none is configured (trust authentication). */
  public Secret password() {
    return password;
  }

  /** The sslmode of every PostgreSQL session (libpq values, lower case). */
  public String sslMode() {
    return sslMode;
  }

  /** Where the CA bundle is ({@link CdcJobOptions#POSTGRES_SSLROOTCERT}), or null. */
  public String sslRootCert() {
    return sslRootCert;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public List<TableName> tables() {
    return tables;
  }

  public String slotName() {
    return slotName;
  }

  public String publicationName() {
    return publicationName;
  }

  public boolean createPublication() {
    return createPublication;
  }

  /** The event-time column of {@code table}, or null. */
  public String eventTimeColumn(TableName table) {
    return eventTimeColumns.get(table);
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public String heartbeatQuery() {
    return heartbeatQuery;
  }

  public String lakePath() {
    return lakePath;
  }

  /** Where {@code table}'s silver table lives. */
  public String tablePath(TableName table) {
    return LakeOptions.tablePath(lakePath, silverName(table));
  }

  /** The silver table's name: the table's, prefixed by its schema outside {@code public}. */
  public static String silverName(TableName table) {
    return "public".equals(table.schema()) ? table.table() : table.schema() + "_" + table.table();
  }

  public String sinkId(TableName table) {
    return sinkIdPrefix + "." + table.qualified();
  }

  public int parallelism() {
    return parallelism;
  }

  public String uidPrefix() {
    return uidPrefix;
  }

  /** Whether a restore from state older than the slot may proceed; see {@link CdcJobOptions#RESTORE_ACCEPT_SLOT_AHEAD}. */
  public boolean acceptSlotAhead() {
    return acceptSlotAhead;
  }

  /** Heap bytes of one buffered source transaction; see {@link CdcJobOptions#TRANSACTION_BUFFER_MEMORY}. */
  public long transactionBufferBytes() {
    return transactionBufferBytes;
  }

  /** Delta sink options: {@code sink.*} without the prefix, {@code hadoop.*}, {@code table.property.*}. */
  public Map<String, String> sinkOptions() {
    Map<String, String> options = new TreeMap<>(sink.options());
    options.remove(DeltaSinkOptions.TABLE_PATH.key());
    return Collections.unmodifiableMap(options);
  }

  /**
   * The Delta sink configuration of {@code table}'s silver table: the shared sink options with the
   * table's path and sink id, and, when the operator accepted a rollback ({@link #acceptSlotAhead}),
   * {@link DeltaSinkOptions#RESTORE_ACCEPT_OLDER_CHECKPOINT}: the sinks then see the same older restore.
   */
  public DeltaSinkConfig sinkConfig(TableName table) {
    DeltaSinkConfig c = sink.with(DeltaSinkOptions.TABLE_PATH, tablePath(table)).with(DeltaSinkOptions.SINK_ID, sinkId(table));
    return acceptSlotAhead ? c.with(DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT, true) : c;
  }

  /** The sink options with the lake as table path: for the Hadoop configuration of other files in the lake. */
  public DeltaSinkConfig lakeSinkConfig() {
    return sink;
  }

  /** The warehouse sink's settings (docs/warehouse.md), empty when no table is served. */
  public Optional<io.tributary.cdc.warehouse.WarehouseConfig> warehouse() {
    return Optional.ofNullable(warehouse);
  }

  public Map<String, String> debeziumOverrides() {
    return debeziumOverrides;
  }

  @Override
  public String toString() {
    return "CdcJobConfig{postgres=" + user + "@" + host + ":" + port + "/" + database
        + ", password=" + (password == null ? "none" : password.toString()) + ", sslmode=" + sslMode
        + ", tables=" + tables + ", slot=" + slotName + ", publication=" + publicationName
        + ", eventTime=" + eventTimeColumns + ", lake=" + lakePath + ", parallelism=" + parallelism + (warehouse == null ? "" : ", warehouse=" + warehouse) + "}";
  }
}
