package io.tributary.delta.maintenance;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.tributary.delta.DeltaSinkConfig;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.log.DeltaLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An existing Delta table opened for maintenance: its Kernel engine, Hadoop file system and
 * latest snapshot. Paths and Hadoop options are read exactly as the sink reads them (a bare path
 * is local, {@code s3://} means {@code s3a://}, {@code fs.s3a.*} options apply), so maintenance
 * and the streaming sink always see the same table through the same log store.
 */
public final class MaintainedTable {

  private final String path;
  private final Configuration hadoopConf;
  private final Engine engine;
  private final Table table;
  private final DeltaLog log;
  private final Path root;
  private final FileSystem fs;

  private MaintainedTable(DeltaSinkConfig config, Configuration hadoopConf, Engine engine) {
    this.path = config.tablePath();
    this.hadoopConf = hadoopConf;
    this.engine = engine;
    this.log = new DeltaLog(path, hadoopConf, engine);
    this.table = log.table();
    this.root = new Path(path);
    try {
      this.fs = root.getFileSystem(hadoopConf);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the file system of " + path, e);
    }
  }

  /**
   * Opens the table at {@code tablePath}.
   *
   * @param hadoopOptions Hadoop options without prefix, e.g. {@code fs.s3a.endpoint}
   */
  public static MaintainedTable open(String tablePath, Map<String, String> hadoopOptions) {
    Map<String, String> options = new HashMap<>();
    options.put(DeltaSinkOptions.TABLE_PATH.key(), tablePath);
    hadoopOptions.forEach((k, v) -> options.put(DeltaSinkOptions.HADOOP_PREFIX + k, v));
    DeltaSinkConfig config = DeltaSinkConfig.fromMap(options);
    Configuration hadoopConf = config.hadoopConfiguration();
    return new MaintainedTable(config, hadoopConf, DeltaTables.engine(hadoopConf));
  }

  /**
   * The sink's own table, through the engine its committer already has (no second engine or
   * Hadoop configuration per committer).
   */
  public static MaintainedTable forSink(DeltaSinkConfig config, Configuration hadoopConf, Engine engine) {
    return new MaintainedTable(config, hadoopConf, engine);
  }

  /** Normalized table path ({@code file:/...} or {@code s3a://...}). */
  public String path() {
    return path;
  }

  public Engine engine() {
    return engine;
  }

  public Table table() {
    return table;
  }

  /** The owner of the table's log: every write to {@code _delta_log} goes through it. */
  public DeltaLog log() {
    return log;
  }

  public Configuration hadoopConf() {
    return hadoopConf;
  }

  public FileSystem fs() {
    return fs;
  }

  public Path root() {
    return root;
  }

  /**
   * The latest snapshot.
   *
   * @throws IllegalArgumentException when there is no Delta table at the path
   */
  public Snapshot snapshot() {
    try {
      return log.latestSnapshot();
    } catch (TableNotFoundException e) {
      throw new IllegalArgumentException("No Delta table at " + path + " (no _delta_log)", e);
    }
  }

  /** The columns stored in data files: the table schema without its partition columns. */
  static StructType dataSchema(Snapshot snapshot) {
    List<String> partitions = snapshot.getPartitionColumnNames();
    List<StructField> fields =
        snapshot.getSchema().fields().stream()
            .filter(f -> !partitions.contains(f.getName()))
            .collect(Collectors.toList());
    return new StructType(fields);
  }

  /**
   * Writes a log checkpoint for the latest version now (Kernel then also removes log files
   * older than {@code delta.logRetentionDuration}, when {@code delta.enableExpiredLogCleanup} is
   * on, the default).
   *
   * @return the checkpointed version
   */
  public long checkpoint() {
    try {
      return log.checkpoint();
    } catch (TableNotFoundException e) {
      throw new IllegalArgumentException("No Delta table at " + path + " (no _delta_log)", e);
    }
  }
}
