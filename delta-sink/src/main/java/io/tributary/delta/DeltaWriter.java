package io.tributary.delta;

import io.delta.kernel.types.StructType;
import io.tributary.delta.parquet.DictionaryAdvisor;
import io.tributary.delta.parquet.ParquetFileAppender;
import io.tributary.delta.parquet.RowDataWriteSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parallel writer: only writes Parquet files, never touches the Delta log. Keeps one open file per
 * partition, rolls a file at the target size, and closes every file on each checkpoint, handing
 * the closed files to the committer. Files still open when the writer is closed (failure or
 * cancellation) are deleted; files of a checkpoint that never completes stay unreferenced and are
 * removed by vacuum.
 */
final class DeltaWriter
    implements CommittingSinkWriter<RowData, DeltaWriteResult>,
        org.apache.flink.api.connector.sink2.StatefulSinkWriter<RowData, String> {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaWriter.class);
  /** Rows between two checks of the open file's size (the check walks the column buffers). */
  private static final int SIZE_CHECK_INTERVAL = 256;

  private final DeltaSinkConfig config;
  private final RowType rowType;
  private final int[] dataFieldIndexes;
  private final PartitionComputer partitions;
  private final FileStatistics statistics;
  private final ParquetFileAppender.Settings settings;
  private final DictionaryAdvisor dictionaries = new DictionaryAdvisor();
  private final Map<String, String> fileMetadata;
  private final Configuration hadoopConf;
  private final FileSystem fs;
  private final Path tableRoot;
  private final int subtask;
  private final LinkedHashMap<PartitionComputer.Key, ParquetFileAppender> open;
  /** The file the previous row went to: consecutive rows usually share a partition. */
  private PartitionComputer.Key lastKey;
  private ParquetFileAppender lastFile;
  private final List<DataFile> closed = new ArrayList<>();
  private final Counter rowsWritten;
  private final Counter filesWritten;
  private final Counter bytesWritten;

  /** The sink's run lineage (kept and tagged by subtask 0 only). */
  private final RunLineage lineage;

  DeltaWriter(
      DeltaSinkConfig config,
      RowType rowType,
      StructType dataSchema,
      int[] dataFieldIndexes,
      int subtask,
      MetricGroup metrics,
      RunLineage lineage)
      throws IOException {
    this.lineage = lineage;
    this.config = config;
    this.rowType = rowType;
    this.dataFieldIndexes = dataFieldIndexes;
    this.partitions = new PartitionComputer(rowType, config.partitionColumns());
    this.statistics =
        new FileStatistics(dataSchema, config.statsNumIndexedCols(), config.statsStringPrefix());
    this.settings =
        new ParquetFileAppender.Settings(
            config.compression().name(), config.rowGroupSize(), config.pageSize());
    this.fileMetadata = Collections.singletonMap("writer.model.name", "tributary-delta-sink");
    this.hadoopConf = config.hadoopConfiguration();
    this.tableRoot = new Path(config.tablePath());
    this.fs = tableRoot.getFileSystem(hadoopConf);
    this.subtask = subtask;
    // Access order: the eldest entry is the least recently written file.
    this.open = new LinkedHashMap<>(16, 0.75f, true);
    this.rowsWritten = metrics.counter("deltaRowsWritten");
    this.filesWritten = metrics.counter("deltaFilesWritten");
    this.bytesWritten = metrics.counter("deltaBytesWritten");
  }

  @Override
  public void write(RowData row, Context context) throws IOException {
    ParquetFileAppender file = lastFile;
    if (file == null || !partitions.matches(lastKey, row)) {
      PartitionComputer.Key key = partitions.key(row);
      file = open.get(key);
      if (file == null) {
        if (open.size() >= config.maxOpenFiles()) {
          Iterator<Map.Entry<PartitionComputer.Key, ParquetFileAppender>> eldest = open.entrySet().iterator();
          Map.Entry<PartitionComputer.Key, ParquetFileAppender> e = eldest.next();
          eldest.remove();
          finish(e.getKey(), e.getValue());
        }
        file = newFile(key);
        open.put(key, file);
      }
      lastKey = key;
      lastFile = file;
    }
    file.write(row);
    rowsWritten.inc();
    if (file.records() % SIZE_CHECK_INTERVAL == 0
        && file.estimatedSize() >= config.targetFileSize()) {
      open.remove(lastKey);
      finish(lastKey, file);
    }
  }

  private ParquetFileAppender newFile(PartitionComputer.Key key) throws IOException {
    String name =
        String.format(
            "part-%05d-%s.c000%s.parquet", subtask, UUID.randomUUID(), settings.extension());
    Path path = new Path(tableRoot, PartitionComputer.directory(partitions.render(key)) + name);
    return new ParquetFileAppender(
        fs,
        path,
        hadoopConf,
        new RowDataWriteSupport(rowType, dataFieldIndexes, fileMetadata),
        settings,
        dictionaries);
  }

  private void finish(PartitionComputer.Key key, ParquetFileAppender file) throws IOException {
    if (file == lastFile) {
      lastFile = null;
      lastKey = null;
    }
    file.close();
    long now = System.currentTimeMillis();
    closed.add(
        new DataFile(
            // Unencoded: Kernel URI-encodes the path relative to the table root itself.
            file.path().toString(),
            partitions.render(key),
            file.fileLength(),
            now,
            file.records(),
            statistics.toJson(file.footer())));
    filesWritten.inc();
    bytesWritten.inc(file.fileLength());
  }

  @Override
  public void flush(boolean endOfInput) {
    // Files are closed in prepareCommit, which always follows.
  }

  @Override
  public Collection<DeltaWriteResult> prepareCommit() throws IOException {
    for (Map.Entry<PartitionComputer.Key, ParquetFileAppender> e : open.entrySet()) {
      finish(e.getKey(), e.getValue());
    }
    open.clear();
    lastFile = null;
    lastKey = null;
    if (closed.isEmpty()) {
      return lineage.tag(Collections.emptyList());
    }
    DeltaWriteResult result = new DeltaWriteResult(closed);
    closed.clear();
    return lineage.tag(Collections.singletonList(result));
  }

  @Override
  public List<String> snapshotState(long checkpointId) {
    return lineage.snapshot();
  }

  @Override
  public void close() {
    // Only reached with open files on failure or cancellation: their rows will be replayed.
    for (ParquetFileAppender file : open.values()) {
      try {
        file.close();
      } catch (Exception e) {
        LOG.debug("Ignoring failure closing aborted file {}", file.path(), e);
      }
      try {
        fs.delete(file.path(), false);
      } catch (IOException e) {
        LOG.warn("Could not delete aborted data file {}; vacuum will remove it", file.path(), e);
      }
    }
    open.clear();
    lastFile = null;
    lastKey = null;
    for (DataFile f : closed) {
      try {
        fs.delete(new Path(f.path()), false);
      } catch (IOException e) {
        LOG.warn("Could not delete uncommitted data file {}; vacuum will remove it", f.path(), e);
      }
    }
    closed.clear();
  }
}
