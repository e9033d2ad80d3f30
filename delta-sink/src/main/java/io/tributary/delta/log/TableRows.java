package io.tributary.delta.log;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the rows of a table version, for code outside the sink that needs a table's contents (the
 * cdc-job's current keys at a re-snapshot). Here because reading a scan file takes Kernel
 * internals, which only the log owner uses.
 */
public final class TableRows {
  private TableRows() {}

  /**
   * Calls {@code action} for every row of {@code snapshot}, with the columns of {@code readSchema}
   * in its order (partition columns included), file by file; the row is only valid during the call.
   */
  public static void forEach(Engine engine, Snapshot snapshot, StructType readSchema, Consumer<Row> action)
      throws IOException {
    Scan scan = snapshot.getScanBuilder().withReadSchema(readSchema).build();
    Row scanState = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(Utils.singletonCloseableIterator(status), physical, Optional.empty())
                .map(r -> r.getData());
            try (CloseableIterator<FilteredColumnarBatch> batches = Scan.transformPhysicalData(engine, scanState, scanFile, data)) {
              while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                  while (rows.hasNext()) {
                    action.accept(rows.next());
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}
