package io.tributary.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.tributary.delta.ActiveFile;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Follows one silver table for the progress line: committed rows (from the log's statistics),
 * version, and the newest value of a timestamp column (its max statistic), recomputed only when
 * the version changes.
 */
final class TableWatch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String path;
  private final String timeColumn;
  private long version = -1;
  private long rows;
  private Instant newest;
  private long baseline;
  private int files;
  private int partitions;
  private int maxFilesPerPartition;

  TableWatch(String name, String path, String timeColumn) {
    this.name = name;
    this.path = path;
    this.timeColumn = timeColumn;
  }

  /** Reads the latest version if it changed; false while the table does not exist yet. */
  boolean refresh(Engine engine) {
    Snapshot snapshot;
    try {
      snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
    } catch (TableNotFoundException e) {
      return false;
    }
    if (snapshot.getVersion() == version) {
      return true;
    }
    long count = 0;
    Instant max = null;
    java.util.Map<java.util.Map<String, String>, Integer> perPartition = new java.util.HashMap<>();
    for (ActiveFile f : ActiveFile.list(engine, snapshot)) {
      count += f.numRecords().orElse(0);
      perPartition.merge(f.partitionValues(), 1, Integer::sum);
      Instant v = maxOf(f.statsJson());
      if (v != null && (max == null || v.isAfter(max))) {
        max = v;
      }
    }
    rows = count;
    newest = max;
    files = perPartition.values().stream().mapToInt(Integer::intValue).sum();
    partitions = perPartition.size();
    maxFilesPerPartition = perPartition.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    version = snapshot.getVersion();
    return true;
  }

  private Instant maxOf(String stats) {
    if (stats == null || timeColumn == null) {
      return null;
    }
    try {
      JsonNode v = JSON.readTree(stats).path("maxValues").path(timeColumn);
      return v.isTextual() ? java.time.OffsetDateTime.parse(v.asText()).toInstant() : null;
    } catch (IOException | java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  String name() {
    return name;
  }

  String path() {
    return path;
  }

  long version() {
    return version;
  }

  /** Rows committed since {@link #markBaseline()} (this run's rows, when resuming). */
  long rows() {
    return rows - baseline;
  }

  /** Counts from here on: rows committed by earlier runs are not this run's. */
  void markBaseline() {
    baseline = rows;
  }

  /** Active data files of the latest version read. */
  int files() {
    return files;
  }

  int partitions() {
    return partitions;
  }

  /** Active data files of the table's largest partition (what in-job maintenance bounds). */
  int maxFilesPerPartition() {
    return maxFilesPerPartition;
  }

  Optional<Instant> newest() {
    return Optional.ofNullable(newest);
  }
}
