package io.tributary.delta;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * Every option of the Delta sink, with its default. Values are validated in one place, {@link
 * DeltaSinkConfig#fromMap}. Keys are what jobs put in their configuration files or Managed Flink
 * property groups.
 */
public final class DeltaSinkOptions {
  private DeltaSinkOptions() {}

  /** Prefix of options copied, without the prefix, into the Hadoop configuration. */
  public static final String HADOOP_PREFIX = "hadoop.";

  /** Prefix of options copied, without the prefix, into the table properties on creation. */
  public static final String TABLE_PROPERTY_PREFIX = "table.property.";

  /** Compression codecs for data files. */
  public enum Compression {
    SNAPPY,
    ZSTD,
    GZIP,
    UNCOMPRESSED
  }

  public static final ConfigOption<String> TABLE_PATH =
      ConfigOptions.key("table.path")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Table root: a local path, file:/..., or s3a://bucket/prefix. Required.");

  public static final ConfigOption<String> SINK_ID =
      ConfigOptions.key("sink.id")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Stable identifier of this sink, recorded as the Delta transaction application id"
                  + " (with the id of the run). Defaults to the table path. Never reuse one id for two"
                  + " different streams into the same table.");

  public static final ConfigOption<List<String>> PARTITION_COLUMNS =
      ConfigOptions.key("partition.columns")
          .stringType()
          .asList()
          .defaultValues()
          .withDescription(
              "Partition columns, e.g. event_date. Types: STRING, DATE, TINYINT..BIGINT, BOOLEAN.");

  public static final ConfigOption<MemorySize> TARGET_FILE_SIZE =
      ConfigOptions.key("file.target-size")
          .memoryType()
          .defaultValue(MemorySize.parse("128mb"))
          .withDescription("A data file is rolled when it reaches this size, and on every checkpoint.");

  public static final ConfigOption<Integer> MAX_OPEN_FILES =
      ConfigOptions.key("file.max-open")
          .intType()
          .defaultValue(64)
          .withDescription(
              "Open files per writer subtask (one per partition); past it the least recently"
                  + " written file is closed, bounding memory when rows span many partitions.");

  public static final ConfigOption<Compression> COMPRESSION =
      ConfigOptions.key("parquet.compression")
          .enumType(Compression.class)
          .defaultValue(Compression.SNAPPY)
          .withDescription("Parquet compression codec.");

  public static final ConfigOption<MemorySize> ROW_GROUP_SIZE =
      ConfigOptions.key("parquet.row-group-size")
          .memoryType()
          .defaultValue(MemorySize.parse("64mb"))
          .withDescription("Parquet row group size (buffered in memory per open file).");

  public static final ConfigOption<MemorySize> PAGE_SIZE =
      ConfigOptions.key("parquet.page-size")
          .memoryType()
          .defaultValue(MemorySize.parse("1mb"))
          .withDescription("Parquet page size.");

  public static final ConfigOption<Integer> STATS_NUM_INDEXED_COLS =
      ConfigOptions.key("stats.num-indexed-cols")
          .intType()
          .defaultValue(32)
          .withDescription(
              "Leading top-level data columns that get min/max/nullCount statistics (Delta's"
                  + " dataSkippingNumIndexedCols). -1 for all, 0 for none (numRecords only).");

  public static final ConfigOption<Integer> STATS_STRING_PREFIX =
      ConfigOptions.key("stats.string-prefix-length")
          .intType()
          .defaultValue(32)
          .withDescription(
              "String min/max statistics are truncated to this many characters (the max followed by a"
                  + " tie-breaker character, so it still bounds the values).");

  public static final ConfigOption<Integer> LOG_CHECKPOINT_INTERVAL =
      ConfigOptions.key("log.checkpoint-interval")
          .intType()
          .defaultValue(10)
          .withDescription(
              "Write a Delta log checkpoint every N commits (table property delta.checkpointInterval).");

  public static final ConfigOption<Boolean> SCHEMA_EVOLUTION =
      ConfigOptions.key("schema.evolution")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "When the table exists and the stream has extra nullable columns, add them to the"
                  + " table instead of failing. Columns are never dropped or retyped.");

  public static final ConfigOption<Boolean> RESTORE_ACCEPT_OLDER_CHECKPOINT =
      ConfigOptions.key("restore.accept-older-checkpoint")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "A job restored from an older checkpoint or savepoint than the newest one this sink committed "
                  + "(e.g. an automatic rollback) refuses to start: the rows of the later checkpoints are in the "
                  + "table already and a replay would write them again. true: start anyway (skip the restored "
                  + "commit, accept the rewrite). For one restart only; see docs/reliability.md.");

  public static final ConfigOption<Integer> COMMIT_MAX_RETRIES =
      ConfigOptions.key("commit.max-retries")
          .intType()
          .defaultValue(100)
          .withDescription(
              "How often a commit that lost a race with another writer is rebased and retried.");

  public static final ConfigOption<Boolean> MANIFEST_ENABLED =
      ConfigOptions.key("manifest.enabled")
          .booleanType()
          .defaultValue(false)
          .withDescription(
              "After every commit, rewrite the Redshift Spectrum symlink manifests"
                  + " (_symlink_format_manifest/<partition>/manifest) of the partitions it touched.");

  public static final ConfigOption<Boolean> MAINTENANCE_ENABLED =
      ConfigOptions.key("maintenance.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Compact small files and vacuum from the committer's own background thread, after"
                  + " commits, never blocking them (see docs/maintenance.md). false leaves it to"
                  + " `tributary maintain`.");

  public static final ConfigOption<Integer> MAINTENANCE_COMMIT_INTERVAL =
      ConfigOptions.key("maintenance.commit-interval")
          .intType()
          .defaultValue(10)
          .withDescription(
              "Plan maintenance after this many commits since the last run (a plan reads the"
                  + " latest snapshot; it compacts only partitions past a threshold).");

  public static final ConfigOption<Integer> MAINTENANCE_MIN_FILES =
      ConfigOptions.key("maintenance.compaction.min-files")
          .intType()
          .defaultValue(10)
          .withDescription(
              "Compact a partition once it has this many small files (at least 2).");

  public static final ConfigOption<MemorySize> MAINTENANCE_MIN_SMALL_BYTES =
      ConfigOptions.key("maintenance.compaction.min-small-bytes")
          .memoryType()
          .defaultValue(MemorySize.parse("64mb"))
          .withDescription(
              "Also compact a partition once its small files add up to this many bytes (and there"
                  + " are at least 2), even with fewer than min-files of them.");

  public static final ConfigOption<MemorySize> MAINTENANCE_SMALL_FILE_SIZE =
      ConfigOptions.key("maintenance.compaction.small-file-size")
          .memoryType()
          .defaultValue(MemorySize.parse("64mb"))
          .withDescription(
              "Files below this size are compaction input; must not exceed the target size.");

  public static final ConfigOption<MemorySize> MAINTENANCE_TARGET_FILE_SIZE =
      ConfigOptions.key("maintenance.compaction.target-file-size")
          .memoryType()
          .defaultValue(MemorySize.parse("128mb"))
          .withDescription("Compaction rolls its output files at this size.");

  public static final ConfigOption<Integer> MAINTENANCE_MAX_PARTITIONS =
      ConfigOptions.key("maintenance.compaction.max-partitions")
          .intType()
          .defaultValue(10)
          .withDescription("At most this many partitions per run, those with the most small files first.");

  public static final ConfigOption<MemorySize> MAINTENANCE_MAX_INPUT_BYTES =
      ConfigOptions.key("maintenance.compaction.max-input-bytes")
          .memoryType()
          .defaultValue(MemorySize.parse("1gb"))
          .withDescription("At most this many input bytes per run, bounding the work of one run.");

  public static final ConfigOption<Integer> MAINTENANCE_COMMIT_RETRIES =
      ConfigOptions.key("maintenance.compaction.commit-retries")
          .intType()
          .defaultValue(5)
          .withDescription(
              "How often a compaction commit that lost a race is rebased before the run gives the"
                  + " partition up until the next run (the streaming append never gives up).");

  public static final ConfigOption<Duration> MAINTENANCE_VACUUM_INTERVAL =
      ConfigOptions.key("maintenance.vacuum.interval")
          .durationType()
          .defaultValue(Duration.ofHours(24))
          .withDescription(
              "Vacuum the table this long after the job started and then at this interval; 0 never.");

  public static final ConfigOption<Duration> MAINTENANCE_VACUUM_RETENTION =
      ConfigOptions.key("maintenance.vacuum.retention")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "Vacuum deletes unreferenced files older than this; at least 7 days (the rule that"
                  + " protects pending commits and readers, see docs/maintenance.md).");

  /**
   * Every option above, in order: the keys {@link DeltaSinkConfig} reads (besides the {@link
   * #HADOOP_PREFIX} and {@link #TABLE_PROPERTY_PREFIX} keys).
   */
  public static final List<ConfigOption<?>> ALL =
      List.of(
          TABLE_PATH,
          SINK_ID,
          PARTITION_COLUMNS,
          TARGET_FILE_SIZE,
          MAX_OPEN_FILES,
          COMPRESSION,
          ROW_GROUP_SIZE,
          PAGE_SIZE,
          STATS_NUM_INDEXED_COLS,
          STATS_STRING_PREFIX,
          LOG_CHECKPOINT_INTERVAL,
          SCHEMA_EVOLUTION,
          RESTORE_ACCEPT_OLDER_CHECKPOINT,
          COMMIT_MAX_RETRIES,
          MANIFEST_ENABLED,
          MAINTENANCE_ENABLED,
          MAINTENANCE_COMMIT_INTERVAL,
          MAINTENANCE_MIN_FILES,
          MAINTENANCE_MIN_SMALL_BYTES,
          MAINTENANCE_SMALL_FILE_SIZE,
          MAINTENANCE_TARGET_FILE_SIZE,
          MAINTENANCE_MAX_PARTITIONS,
          MAINTENANCE_MAX_INPUT_BYTES,
          MAINTENANCE_COMMIT_RETRIES,
          MAINTENANCE_VACUUM_INTERVAL,
          MAINTENANCE_VACUUM_RETENTION);
}
