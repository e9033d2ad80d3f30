package io.tributary.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

  /** Every data file of {@code snapshot}, read from the log alone (no data file is opened). */
  public static List<ActiveFile> list(Engine engine, Snapshot snapshot) {
    Scan scan = snapshot.getScanBuilder().build();
    List<ActiveFile> files = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> it = batches.next().getRows()) {
          while (it.hasNext()) {
            Row scanFile = it.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            int statsOrdinal = add.getSchema().indexOf("stats");
            String stats = statsOrdinal < 0 || add.isNullAt(statsOrdinal) ? null : add.getString(statsOrdinal);
            OptionalLong n =
                stats == null
                    ? OptionalLong.empty()
                    : DataFileStatistics.getNumRecords(stats).map(OptionalLong::of).orElse(OptionalLong.empty());
            files.add(
                new ActiveFile(
                    status.getPath(), add.getString(add.getSchema().indexOf("path")), stats,
                    status.getSize(), status.getModificationTime(),
                    InternalScanFileUtils.getPartitionValues(scanFile), n));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
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
