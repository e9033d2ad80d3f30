package io.tributary.delta;

import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.engine.Engine;
import java.util.HashSet;
import java.util.List;
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
    long rows = 0;
    long noStats = 0;
    long bytes = 0;
    Set<Map<String, String>> partitions = new HashSet<>();
    List<ActiveFile> files = ActiveFile.list(engine, snapshot);
    for (ActiveFile f : files) {
      bytes += f.size();
      partitions.add(f.partitionValues());
      if (f.numRecords().isPresent()) {
        rows += f.numRecords().getAsLong();
      } else {
        noStats++;
      }
    }
    int partitionCount = snapshot.getPartitionColumnNames().isEmpty() ? 0 : partitions.size();
    return new DeltaTableSummary(
        path, snapshot.getVersion(), snapshot.getTimestamp(engine), rows, files.size(), noStats, bytes, partitionCount);
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
