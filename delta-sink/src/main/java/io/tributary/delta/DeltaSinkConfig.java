package io.tributary.delta;

import io.tributary.delta.DeltaSinkOptions.Compression;
import io.tributary.delta.maintenance.MaintenanceSettings;
import io.tributary.delta.storage.LocalPutIfAbsentLogStore;
import io.tributary.delta.storage.S3ConditionalPutLogStore;
import io.tributary.delta.storage.S3Credentials;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;

/**
 * Validated, immutable settings of one sink instance: the typed sink configuration that {@link
 * DeltaSink.Builder#config} and {@link EvolvingDeltaSink} take. Built only through {@link
 * #fromMap} or {@link #read}, which is where every option is checked; the rest of the sink trusts
 * these values. {@link #with} derives a configuration with one option changed (a table path, a
 * sink id), validated again.
 *
 * <p>Bad options: {@link #fromMap} throws Flink's {@link IllegalConfigurationException}, the
 * exception of Flink connectors, because delta-sink is a library used without Tributary's
 * job-config module (which brings AWS clients and the Managed Flink runtime, and which producers
 * use without any Delta). The jobs never let it surface: they call {@link #read}, which adds every
 * problem to the job's own problem list, and throw job-config's {@code
 * InvalidConfigurationException} for all of them at once.
 */
public final class DeltaSinkConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The options as given (sink keys, {@code hadoop.*}, {@code table.property.*}): what {@link #with} starts from. */
  private final Map<String, String> options;
  private final String tablePath;
  private final String sinkId;
  private final List<String> partitionColumns;
  private final long targetFileSize;
  private final int maxOpenFiles;
  private final Compression compression;
  private final long rowGroupSize;
  private final long pageSize;
  private final int statsNumIndexedCols;
  private final int statsStringPrefix;
  private final int logCheckpointInterval;
  private final boolean schemaEvolution;
  private final int commitMaxRetries;
  private final boolean acceptOlderCheckpoint;
  private final boolean manifestEnabled;
  private final MaintenanceSettings maintenance;
  private final Map<String, String> hadoopConf;
  private final Map<String, String> tableProperties;

  /** Only after {@link #problems} found none. */
  private DeltaSinkConfig(Configuration c, Map<String, String> raw) {
    this.options = Collections.unmodifiableMap(new TreeMap<>(raw));
    this.tablePath = normalizeTablePath(c.get(DeltaSinkOptions.TABLE_PATH));
    String id = c.get(DeltaSinkOptions.SINK_ID);
    this.sinkId = id == null || id.isBlank() ? tablePath : id.trim();
    this.partitionColumns = Collections.unmodifiableList(new ArrayList<>(c.get(DeltaSinkOptions.PARTITION_COLUMNS)));
    this.targetFileSize = c.get(DeltaSinkOptions.TARGET_FILE_SIZE).getBytes();
    this.maxOpenFiles = c.get(DeltaSinkOptions.MAX_OPEN_FILES);
    this.compression = c.get(DeltaSinkOptions.COMPRESSION);
    this.rowGroupSize = c.get(DeltaSinkOptions.ROW_GROUP_SIZE).getBytes();
    this.pageSize = c.get(DeltaSinkOptions.PAGE_SIZE).getBytes();
    this.statsNumIndexedCols = c.get(DeltaSinkOptions.STATS_NUM_INDEXED_COLS);
    this.statsStringPrefix = c.get(DeltaSinkOptions.STATS_STRING_PREFIX);
    this.logCheckpointInterval = c.get(DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL);
    this.schemaEvolution = c.get(DeltaSinkOptions.SCHEMA_EVOLUTION);
    this.commitMaxRetries = c.get(DeltaSinkOptions.COMMIT_MAX_RETRIES);
    this.acceptOlderCheckpoint = c.get(DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT);
    this.manifestEnabled = c.get(DeltaSinkOptions.MANIFEST_ENABLED);
    this.maintenance = maintenanceSettings(c);
    this.hadoopConf = Collections.unmodifiableMap(withPrefix(raw, DeltaSinkOptions.HADOOP_PREFIX));
    Map<String, String> props = withPrefix(raw, DeltaSinkOptions.TABLE_PROPERTY_PREFIX);
    props.putIfAbsent("delta.checkpointInterval", Integer.toString(logCheckpointInterval));
    this.tableProperties = Collections.unmodifiableMap(props);
  }

  private static MaintenanceSettings maintenanceSettings(Configuration c) {
    return new MaintenanceSettings(
        c.get(DeltaSinkOptions.MAINTENANCE_ENABLED),
        c.get(DeltaSinkOptions.MAINTENANCE_COMMIT_INTERVAL),
        c.get(DeltaSinkOptions.MAINTENANCE_MIN_FILES),
        c.get(DeltaSinkOptions.MAINTENANCE_MIN_SMALL_BYTES).getBytes(),
        c.get(DeltaSinkOptions.MAINTENANCE_SMALL_FILE_SIZE).getBytes(),
        c.get(DeltaSinkOptions.MAINTENANCE_TARGET_FILE_SIZE).getBytes(),
        c.get(DeltaSinkOptions.MAINTENANCE_MAX_PARTITIONS),
        c.get(DeltaSinkOptions.MAINTENANCE_MAX_INPUT_BYTES).getBytes(),
        c.get(DeltaSinkOptions.MAINTENANCE_COMMIT_RETRIES),
        c.get(DeltaSinkOptions.MAINTENANCE_VACUUM_INTERVAL),
        c.get(DeltaSinkOptions.MAINTENANCE_VACUUM_RETENTION));
  }

  /**
   * Every problem of the options, each naming the key (as {@code keyPrefix + key}), the value and
   * what is expected; empty when {@link #fromMap} would succeed.
   */
  private static List<String> problems(Configuration c, String keyPrefix) {
    List<String> problems = new ArrayList<>();
    boolean parsed = true;
    for (ConfigOption<?> option : DeltaSinkOptions.ALL) {
      try {
        c.get(option);
      } catch (IllegalArgumentException e) {
        problems.add("Delta sink option '" + keyPrefix + option.key() + "': " + e.getMessage());
        parsed = false;
      }
    }
    String path = c.getString(DeltaSinkOptions.TABLE_PATH.key(), null);
    if (path == null || path.isBlank()) {
      problems.add("Delta sink option '" + keyPrefix + DeltaSinkOptions.TABLE_PATH.key() + "' is required: "
          + DeltaSinkOptions.TABLE_PATH.description());
    } else {
      try {
        normalizeTablePath(path);
      } catch (IllegalArgumentException e) {
        problems.add(invalid(keyPrefix, DeltaSinkOptions.TABLE_PATH, path, "not a path or URI: " + e.getMessage()));
      }
    }
    if (!parsed) {
      return problems; // the checks below read typed values
    }
    positive(problems, keyPrefix, DeltaSinkOptions.TARGET_FILE_SIZE, c.get(DeltaSinkOptions.TARGET_FILE_SIZE).getBytes());
    positive(problems, keyPrefix, DeltaSinkOptions.MAX_OPEN_FILES, c.get(DeltaSinkOptions.MAX_OPEN_FILES));
    positive(problems, keyPrefix, DeltaSinkOptions.ROW_GROUP_SIZE, c.get(DeltaSinkOptions.ROW_GROUP_SIZE).getBytes());
    positive(problems, keyPrefix, DeltaSinkOptions.PAGE_SIZE, c.get(DeltaSinkOptions.PAGE_SIZE).getBytes());
    int indexed = c.get(DeltaSinkOptions.STATS_NUM_INDEXED_COLS);
    if (indexed < -1) {
      problems.add(invalid(keyPrefix, DeltaSinkOptions.STATS_NUM_INDEXED_COLS, indexed, "must be -1 (all), 0 or positive"));
    }
    positive(problems, keyPrefix, DeltaSinkOptions.STATS_STRING_PREFIX, c.get(DeltaSinkOptions.STATS_STRING_PREFIX));
    positive(problems, keyPrefix, DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL, c.get(DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL));
    int retries = c.get(DeltaSinkOptions.COMMIT_MAX_RETRIES);
    if (retries < 0) {
      problems.add(invalid(keyPrefix, DeltaSinkOptions.COMMIT_MAX_RETRIES, retries, "must be >= 0"));
    }
    try {
      maintenanceSettings(c);
    } catch (IllegalArgumentException e) {
      problems.add("Delta sink options: " + e.getMessage());
    }
    return problems;
  }

  /**
   * Reads and validates the sink options from string keys and values (see {@link
   * DeltaSinkOptions}).
   *
   * @throws IllegalConfigurationException listing every problem, each naming the key, the value
   *     and what is expected
   */
  public static DeltaSinkConfig fromMap(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    DeltaSinkConfig config = read(options, "", problems);
    if (config == null) {
      throw new IllegalConfigurationException("Invalid Delta sink option: " + String.join("; ", problems));
    }
    return config;
  }

  /**
   * Reads and validates the sink options, adding every problem to {@code problems} instead of
   * throwing: for a job that reports the sink's problems with its own.
   *
   * @param keyPrefix how the job's users write the sink keys (e.g. {@code sink.}), for the messages
   * @return the configuration, or null when there was a problem
   */
  public static DeltaSinkConfig read(Map<String, String> options, String keyPrefix, List<String> problems) {
    Objects.requireNonNull(options, "options");
    Configuration c = Configuration.fromMap(options);
    List<String> found = problems(c, keyPrefix);
    if (!found.isEmpty()) {
      problems.addAll(found);
      return null;
    }
    return new DeltaSinkConfig(c, options);
  }

  /**
   * This configuration with {@code option} set to {@code value}, validated again: how a job turns
   * its shared sink options into one table's ({@link DeltaSinkOptions#TABLE_PATH}, {@link
   * DeltaSinkOptions#SINK_ID}).
   *
   * @throws IllegalConfigurationException when the value is invalid
   */
  public <T> DeltaSinkConfig with(ConfigOption<T> option, T value) {
    Configuration c = Configuration.fromMap(options);
    c.set(option, value);
    return fromMap(c.toMap());
  }

  /** This configuration with the Delta table property {@code name} set to {@code value} unless one is configured. */
  public DeltaSinkConfig withTablePropertyIfAbsent(String name, String value) {
    Map<String, String> m = new TreeMap<>(options);
    m.putIfAbsent(DeltaSinkOptions.TABLE_PROPERTY_PREFIX + name, value);
    return fromMap(m);
  }

  /** The options as given, by key: what {@link DeltaSink.Builder#config} copies. */
  public Map<String, String> options() {
    return options;
  }

  /** Turns a bare local path into a {@code file:} URI and {@code s3://} into {@code s3a://}. */
  static String normalizeTablePath(String path) {
    String p = path.trim();
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    URI uri = URI.create(p.replace(" ", "%20"));
    if (uri.getScheme() == null) {
      return Paths.get(p).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
    }
    if ("s3".equals(uri.getScheme())) {
      return "s3a" + p.substring(2);
    }
    return p;
  }

  private static void positive(List<String> problems, String keyPrefix, ConfigOption<?> option, long value) {
    if (value <= 0) {
      problems.add(invalid(keyPrefix, option, value, "must be positive"));
    }
  }

  private static String invalid(String keyPrefix, ConfigOption<?> option, Object value, String expected) {
    return "Delta sink option '" + keyPrefix + option.key() + "' = " + value + ": " + expected;
  }

  private static Map<String, String> withPrefix(Map<String, String> raw, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length()) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /**
   * Builds a fresh Hadoop configuration with the {@code hadoop.*} options applied. S3 paths get
   * the conditional-write log store and local paths the hard-link one unless a log store is
   * configured explicitly, so a second (zombie) committer can never overwrite a commit. S3A gets
   * the credential chain of {@link S3Credentials} unless the options name providers.
   */
  public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    for (String key : S3ConditionalPutLogStore.logStoreConf().keySet()) {
      conf.set(key, S3ConditionalPutLogStore.class.getName());
    }
    conf.set(LocalPutIfAbsentLogStore.LOG_STORE_CONF_KEY, LocalPutIfAbsentLogStore.class.getName());
    S3Credentials.setDefaultChain(conf);
    hadoopConf.forEach(conf::set);
    return conf;
  }

  public String tablePath() {
    return tablePath;
  }

  public String sinkId() {
    return sinkId;
  }

  public List<String> partitionColumns() {
    return partitionColumns;
  }

  public long targetFileSize() {
    return targetFileSize;
  }

  public int maxOpenFiles() {
    return maxOpenFiles;
  }

  public Compression compression() {
    return compression;
  }

  public long rowGroupSize() {
    return rowGroupSize;
  }

  public long pageSize() {
    return pageSize;
  }

  public int statsNumIndexedCols() {
    return statsNumIndexedCols;
  }

  public int statsStringPrefix() {
    return statsStringPrefix;
  }

  public int logCheckpointInterval() {
    return logCheckpointInterval;
  }

  public boolean schemaEvolution() {
    return schemaEvolution;
  }

  /** See {@link DeltaSinkOptions#RESTORE_ACCEPT_OLDER_CHECKPOINT}. */
  public boolean acceptOlderCheckpoint() {
    return acceptOlderCheckpoint;
  }

  public int commitMaxRetries() {
    return commitMaxRetries;
  }

  public boolean manifestEnabled() {
    return manifestEnabled;
  }

  /** In-job table maintenance (compaction, vacuum) of the committer. */
  public MaintenanceSettings maintenance() {
    return maintenance;
  }

  public Map<String, String> hadoopConf() {
    return hadoopConf;
  }

  public Map<String, String> tableProperties() {
    return tableProperties;
  }
}
