package io.tributary.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.tributary.delta.log.DeltaLog;
import io.tributary.delta.log.PartitionLiterals;
import io.tributary.delta.storage.InterruptSafeFileIO;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating, checking and evolving the target table. Shared by the sink builder (so a wrong schema
 * fails when the job is built, not in a restart loop) and by tools.
 */
public final class DeltaTables {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaTables.class);

  /** Recorded as the engine in every commit's commitInfo. */
  public static final String ENGINE_INFO = DeltaLog.ENGINE_INFO;

  private DeltaTables() {}

  /** A Kernel engine over the sink's Hadoop configuration. */
  public static Engine engine(DeltaSinkConfig config) {
    return engine(config.hadoopConfiguration());
  }

  /**
   * A Kernel engine over a Hadoop configuration, opening files on the calling thread so that a
   * cancelled job leaves no stream behind ({@link InterruptSafeFileIO}).
   */
  public static Engine engine(org.apache.hadoop.conf.Configuration hadoopConf) {
    return DefaultEngine.create(new InterruptSafeFileIO(hadoopConf));
  }

  /**
   * The relative directory of a partition, as the sink writes it ({@code a=1/b=x/}, Hive
   * escaping), or "" for an unpartitioned table.
   *
   * @param partitionColumns the table's partition columns, in order
   * @param values partition column to value as in the log (null for a null value)
   */
  public static String partitionDirectory(List<String> partitionColumns, Map<String, String> values) {
    Map<String, String> ordered = new java.util.LinkedHashMap<>();
    for (String column : partitionColumns) {
      ordered.put(column, values.get(column));
    }
    return PartitionComputer.directory(ordered);
  }

  /** Typed partition values, as Kernel's write context wants them, from their log strings. */
  public static Map<String, io.delta.kernel.expressions.Literal> partitionLiterals(
      StructType schema, Map<String, String> values) {
    return PartitionLiterals.of(schema, values);
  }

  /** What {@link #ensureTable} did. */
  public enum Outcome {
    CREATED,
    EXISTS,
    EVOLVED
  }

  /**
   * Makes sure the table at {@code config.tablePath()} can take rows of {@code schema}: creates
   * it (protocol 1/2, the configured partition columns and table properties) when absent, checks
   * an existing table, and adds new nullable columns when schema evolution is enabled.
   *
   * @throws IllegalStateException with every incompatibility listed, when the table cannot take
   *     the rows
   */
  public static Outcome ensureTable(Engine engine, DeltaSinkConfig config, StructType schema) {
    DeltaLog log = new DeltaLog(config.tablePath(), config.hadoopConfiguration(), engine);
    for (int attempt = 0; ; attempt++) {
      Snapshot snapshot;
      try {
        snapshot = log.latestSnapshot();
      } catch (TableNotFoundException e) {
        if (log.createTable(schema, config.partitionColumns(), config.tableProperties())) {
          LOG.info("Created Delta table {} partitioned by {}", config.tablePath(), config.partitionColumns());
          return Outcome.CREATED;
        }
        continue; // another job created it meanwhile: check that one
      }
      List<StructField> missing = check(snapshot, config, schema);
      if (missing.isEmpty()) {
        return Outcome.EXISTS;
      }
      if (log.addColumns(snapshot, missing)) {
        LOG.info("Added columns {} to Delta table {}", names(missing), config.tablePath());
        return Outcome.EVOLVED;
      }
      if (attempt > 10) {
        throw new IllegalStateException("Could not evolve the schema of " + config.tablePath() + " after 10 attempts");
      }
    }
  }

  /**
   * Checks the table against the stream and returns the stream columns the table lacks (only
   * when evolution is enabled and they are nullable). Columns are matched by name, ignoring case
   * as Delta does.
   */
  static List<StructField> check(Snapshot snapshot, DeltaSinkConfig config, StructType schema) {
    StructType table = snapshot.getSchema();
    List<String> problems = new ArrayList<>();
    List<StructField> missing = new ArrayList<>();
    for (StructField f : schema.fields()) {
      StructField t = field(table, f.getName());
      if (t == null) {
        if (config.schemaEvolution() && f.isNullable()) {
          missing.add(f);
        } else if (config.schemaEvolution()) {
          problems.add("column '" + f.getName() + "' is not in the table and is NOT NULL, so it cannot be added");
        } else {
          problems.add("column '" + f.getName() + "' (" + f.getDataType() + ") is not in the table; enable '"
              + DeltaSinkOptions.SCHEMA_EVOLUTION.key() + "' to add it");
        }
      } else if (!t.getDataType().equivalent(f.getDataType())) {
        problems.add("column '" + f.getName() + "' is " + t.getDataType() + " in the table but " + f.getDataType() + " in the stream");
      } else if (!t.isNullable() && f.isNullable()) {
        problems.add("column '" + f.getName() + "' is NOT NULL in the table but nullable in the stream");
      }
    }
    for (StructField t : table.fields()) {
      if (!t.isNullable() && field(schema, t.getName()) == null) {
        problems.add("table column '" + t.getName() + "' is NOT NULL but the stream does not have it");
      }
    }
    List<String> tableParts = lower(snapshot.getPartitionColumnNames());
    if (!tableParts.equals(lower(config.partitionColumns()))) {
      problems.add("the table is partitioned by " + snapshot.getPartitionColumnNames()
          + " but the sink by " + config.partitionColumns());
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Delta table " + config.tablePath() + " (version " + snapshot.getVersion()
              + ") cannot take the stream's rows: " + String.join("; ", problems));
    }
    return missing;
  }

  private static StructField field(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.getName().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  private static List<String> lower(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(n.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static List<String> names(List<StructField> fields) {
    List<String> out = new ArrayList<>();
    for (StructField f : fields) {
      out.add(f.getName());
    }
    return out;
  }
}
