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
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;

/**
 * Validated, immutable settings of one sink instance. Built only through {@link #fromMap}, which
 * is where every option is checked; the rest of the sink trusts these values.
 */
public final class DeltaSinkConfig implements Serializable {
  private static final long serialVersionUID = 1L;

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

  private DeltaSinkConfig(Configuration c, Map<String, String> raw) {
    this.tablePath = normalizeTablePath(require(c, DeltaSinkOptions.TABLE_PATH));
    String id = c.get(DeltaSinkOptions.SINK_ID);
    this.sinkId = id == null || id.isBlank() ? tablePath : id.trim();
    this.partitionColumns = Collections.unmodifiableList(new ArrayList<>(c.get(DeltaSinkOptions.PARTITION_COLUMNS)));
    this.targetFileSize = positive(c, DeltaSinkOptions.TARGET_FILE_SIZE.key(), c.get(DeltaSinkOptions.TARGET_FILE_SIZE).getBytes());
    this.maxOpenFiles = (int) positive(c, DeltaSinkOptions.MAX_OPEN_FILES.key(), c.get(DeltaSinkOptions.MAX_OPEN_FILES));
    this.compression = c.get(DeltaSinkOptions.COMPRESSION);
    this.rowGroupSize = positive(c, DeltaSinkOptions.ROW_GROUP_SIZE.key(), c.get(DeltaSinkOptions.ROW_GROUP_SIZE).getBytes());
    this.pageSize = positive(c, DeltaSinkOptions.PAGE_SIZE.key(), c.get(DeltaSinkOptions.PAGE_SIZE).getBytes());
    this.statsNumIndexedCols = c.get(DeltaSinkOptions.STATS_NUM_INDEXED_COLS);
    if (statsNumIndexedCols < -1) {
      throw invalid(DeltaSinkOptions.STATS_NUM_INDEXED_COLS.key(), statsNumIndexedCols, "must be -1 (all), 0 or positive");
    }
    this.statsStringPrefix = (int) positive(c, DeltaSinkOptions.STATS_STRING_PREFIX.key(), c.get(DeltaSinkOptions.STATS_STRING_PREFIX));
    this.logCheckpointInterval = (int) positive(c, DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL.key(), c.get(DeltaSinkOptions.LOG_CHECKPOINT_INTERVAL));
    this.schemaEvolution = c.get(DeltaSinkOptions.SCHEMA_EVOLUTION);
    this.commitMaxRetries = c.get(DeltaSinkOptions.COMMIT_MAX_RETRIES);
    this.acceptOlderCheckpoint = c.get(DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT);
    this.manifestEnabled = c.get(DeltaSinkOptions.MANIFEST_ENABLED);
    if (commitMaxRetries < 0) {
      throw invalid(DeltaSinkOptions.COMMIT_MAX_RETRIES.key(), commitMaxRetries, "must be >= 0");
    }
    this.maintenance = new MaintenanceSettings(
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
    this.hadoopConf = Collections.unmodifiableMap(withPrefix(raw, DeltaSinkOptions.HADOOP_PREFIX));
    Map<String, String> props = withPrefix(raw, DeltaSinkOptions.TABLE_PROPERTY_PREFIX);
    props.putIfAbsent("delta.checkpointInterval", Integer.toString(logCheckpointInterval));
    this.tableProperties = Collections.unmodifiableMap(props);
  }

  /**
   * Reads and validates the sink options from string keys and values (see {@link
   * DeltaSinkOptions}).
   *
   * @throws IllegalConfigurationException naming the key, the value and what is expected
   */
  public static DeltaSinkConfig fromMap(Map<String, String> options) {
    Objects.requireNonNull(options, "options");
    Configuration c = Configuration.fromMap(options);
    try {
      return new DeltaSinkConfig(c, options);
    } catch (IllegalConfigurationException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new IllegalConfigurationException("Invalid Delta sink option: " + e.getMessage(), e);
    }
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

  private static String require(Configuration c, ConfigOption<String> option) {
    String v = c.get(option);
    if (v == null || v.isBlank()) {
      throw new IllegalConfigurationException(
          "Delta sink option '" + option.key() + "' is required: " + option.description());
    }
    return v;
  }

  private static long positive(Configuration c, String key, long value) {
    if (value <= 0) {
      throw invalid(key, value, "must be positive");
    }
    return value;
  }

  private static IllegalConfigurationException invalid(String key, Object value, String expected) {
    return new IllegalConfigurationException(
        "Delta sink option '" + key + "' = " + value + ": " + expected);
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
