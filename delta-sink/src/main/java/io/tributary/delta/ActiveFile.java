package io.tributary.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A data file of a table snapshot, as its {@code add} action in the Delta log describes it. */
public final class ActiveFile {
  private final String path;
  private final String logPath;
  private final String statsJson;
  private final long size;
  private final long modificationTime;
  private final Map<String, String> partitionValues;
  private final OptionalLong numRecords;

  private ActiveFile(
      String path, String logPath, String statsJson, long size, long modificationTime,
      Map<String, String> partitionValues, OptionalLong numRecords) {
    this.path = path;
    this.logPath = logPath;
    this.statsJson = statsJson;
    this.size = size;
    this.modificationTime = modificationTime;
    this.partitionValues = Collections.unmodifiableMap(partitionValues);
    this.numRecords = numRecords;
  }

  /**
   * A file as its {@code add} action describes it; {@link io.tributary.delta.log.ScanFiles} reads
   * them from the log.
   */
  public static ActiveFile of(
      String path, String logPath, String statsJson, long size, long modificationTime,
      Map<String, String> partitionValues, OptionalLong numRecords) {
    return new ActiveFile(path, logPath, statsJson, size, modificationTime, partitionValues, numRecords);
  }

  /** Every data file of {@code snapshot}, read from the log alone (no data file is opened). */
  public static List<ActiveFile> list(Engine engine, Snapshot snapshot) {
    return io.tributary.delta.log.ScanFiles.activeFiles(engine, snapshot);
  }

  /** Absolute URI of the file. */
  public String path() {
    return path;
  }

  /** The path exactly as the {@code add} action records it (usually relative and URI-encoded). */
  public String logPath() {
    return logPath;
  }

  /** The file's statistics JSON from its {@code add} action, or null. */
  public String statsJson() {
    return statsJson;
  }

  public long size() {
    return size;
  }

  public long modificationTime() {
    return modificationTime;
  }

  /** Partition column to value as stored in the log (null for a null value). */
  public Map<String, String> partitionValues() {
    return partitionValues;
  }

  /** Rows in the file per its statistics; empty when the file has none. */
  public OptionalLong numRecords() {
    return numRecords;
  }
}
