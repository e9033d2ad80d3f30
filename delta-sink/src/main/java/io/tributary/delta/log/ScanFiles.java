package io.tributary.delta.log;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.tributary.delta.ActiveFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The data files of a snapshot, read from its log (Kernel's scan files hold the add actions). */
public final class ScanFiles {
  private ScanFiles() {}

  /** Every data file of {@code snapshot}; no data file is opened. */
  public static List<ActiveFile> activeFiles(Engine engine, Snapshot snapshot) {
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
                ActiveFile.of(
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
}
