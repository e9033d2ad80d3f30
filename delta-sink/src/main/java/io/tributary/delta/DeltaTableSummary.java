package io.tributary.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Size and shape of a table's latest snapshot, from the Delta log alone (no data file is read).
 * Row counts come from the per-file statistics; a file without statistics is counted in {@link
 * #filesWithoutStats()} and its rows are unknown.
 */
public final class DeltaTableSummary {
  private final String path;
  private final long version;
  private final long commitTimestamp;
  private final long rows;
  private final long files;
  private final long filesWithoutStats;
  private final long bytes;
  private final int partitions;

  private DeltaTableSummary(
      String path, long version, long commitTimestamp, long rows, long files, long filesWithoutStats, long bytes, int partitions) {
    this.path = path;
    this.version = version;
    this.commitTimestamp = commitTimestamp;
    this.rows = rows;
    this.files = files;
    this.filesWithoutStats = filesWithoutStats;
    this.bytes = bytes;
    this.partitions = partitions;
  }

  /**
   * Reads the latest snapshot of the table at {@code path}.
   *
   * @throws io.delta.kernel.exceptions.TableNotFoundException when there is no table
   */
  public static DeltaTableSummary of(Engine engine, String path) {
    Snapshot snapshot = Table.forPath(engine, path).getLatestSnapshot(engine);
    Scan scan = snapshot.getScanBuilder().build();
    long rows = 0;
    long files = 0;
    long noStats = 0;
    long bytes = 0;
    Set<Map<String, String>> partitions = new HashSet<>();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        try (CloseableIterator<Row> it = batches.next().getRows()) {
          while (it.hasNext()) {
            Row scanFile = it.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            files++;
            bytes += status.getSize();
            partitions.add(InternalScanFileUtils.getPartitionValues(scanFile));
            Row add = scanFile.getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
            int statsOrdinal = add.getSchema().indexOf("stats");
            String stats = statsOrdinal < 0 || add.isNullAt(statsOrdinal) ? null : add.getString(statsOrdinal);
            Long n = stats == null ? null : DataFileStatistics.getNumRecords(stats).orElse(null);
            if (n == null) {
              noStats++;
            } else {
              rows += n;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int partitionCount = snapshot.getPartitionColumnNames().isEmpty() ? 0 : partitions.size();
    return new DeltaTableSummary(
        path, snapshot.getVersion(), snapshot.getTimestamp(engine), rows, files, noStats, bytes, partitionCount);
  }

  public String path() {
    return path;
  }

  public long version() {
    return version;
  }

  /** Epoch millis of the latest commit. */
  public long commitTimestamp() {
    return commitTimestamp;
  }

  public long rows() {
    return rows;
  }

  public long files() {
    return files;
  }

  public long filesWithoutStats() {
    return filesWithoutStats;
  }

  public long bytes() {
    return bytes;
  }

  public int partitions() {
    return partitions;
  }
}
