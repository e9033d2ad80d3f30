package io.tributary.delta.maintenance;

import io.delta.kernel.Snapshot;
import io.delta.kernel.types.StructType;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.FileStatistics;
import io.tributary.delta.log.CommitConflictException;
import io.tributary.delta.log.CommitOutcomeUnknownException;
import io.tributary.delta.log.DeltaLog;
import io.tributary.delta.storage.SynchronousParquetInputFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the small files of a partition into files near a target size, as one Delta commit per
 * partition that removes the old files and adds the new ones, both with {@code dataChange=false}
 * (readers and streaming consumers see no new data).
 *
 * <p>Safe next to a running streaming sink: the sink only appends, and Kernel rebases this
 * commit over concurrent appends. Two compactions removing the same file conflict; the loser
 * deletes its new files and reports the partition as skipped, so nothing ever fails the sink.
 * New files are deleted only when the commit provably did not land: after any failure of the
 * commit call the log owner reads the log again, and an unknown outcome keeps the files.
 * Rows are copied value for value (Parquet's record model with the files' own schema), so
 * types, nulls and decimals are unchanged; files are grouped by schema, so files written before
 * a column was added are merged only with each other.
 */
public final class Compactor {

  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  private static final String ENGINE_INFO = "Tributary-Compactor/0.1";

  private final MaintainedTable table;
  private final CompactionSettings settings;

  public Compactor(MaintainedTable table, CompactionSettings settings) {
    this.table = table;
    this.settings = settings;
  }

  /** Compacts up to {@link CompactionSettings#maxPartitions()} partitions with the most small files. */
  public CompactionReport compact() {
    return compact(table.snapshot());
  }

  /** Compacts from a given snapshot (tests use an old one to provoke a conflict). */
  CompactionReport compact(Snapshot snapshot) {
    long start = System.nanoTime();
    List<List<ActiveFile>> plan = plan(ActiveFile.list(table.engine(), snapshot));
    List<CompactionReport.PartitionOutcome> outcomes = new ArrayList<>();
    for (List<ActiveFile> files : plan) {
      outcomes.addAll(compactPartition(snapshot, files));
    }
    return new CompactionReport(outcomes, (System.nanoTime() - start) / 1_000_000);
  }

  /** Small files per partition, most first, within the run's bounds. */
  List<List<ActiveFile>> plan(List<ActiveFile> files) {
    Map<Map<String, String>, List<ActiveFile>> small = new LinkedHashMap<>();
    for (ActiveFile f : files) {
      if (f.size() < settings.smallFileSize() && selected(f.partitionValues())) {
        small.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f);
      }
    }
    List<List<ActiveFile>> candidates =
        small.values().stream()
            .filter(l -> l.size() >= settings.minInputFiles())
            .sorted(Comparator.<List<ActiveFile>>comparingInt(List::size).reversed())
            .collect(Collectors.toList());
    List<List<ActiveFile>> plan = new ArrayList<>();
    long budget = settings.maxInputBytes();
    for (List<ActiveFile> partition : candidates) {
      if (plan.size() == settings.maxPartitions()) {
        break;
      }
      // Oldest first keeps the rows in commit order; cap the partition at the remaining budget.
      partition.sort(Comparator.comparingLong(ActiveFile::modificationTime).thenComparing(ActiveFile::path));
      List<ActiveFile> take = new ArrayList<>();
      for (ActiveFile f : partition) {
        if (budget - f.size() < 0) {
          break;
        }
        budget -= f.size();
        take.add(f);
      }
      if (take.size() >= settings.minInputFiles()) {
        plan.add(take);
      }
    }
    return plan;
  }

  private boolean selected(Map<String, String> partition) {
    if (settings.onlyPartitions().isEmpty()) {
      return true;
    }
    for (Map<String, String> wanted : settings.onlyPartitions()) {
      if (wanted.entrySet().stream().allMatch(e -> java.util.Objects.equals(partition.get(e.getKey()), e.getValue()))) {
        return true;
      }
    }
    return false;
  }

  private List<CompactionReport.PartitionOutcome> compactPartition(Snapshot snapshot, List<ActiveFile> files) {
    // Files of different Parquet schemas (before and after an added column) are merged separately.
    // Each footer is read once here and reused for reading the file's rows.
    Map<MessageType, List<ActiveFile>> bySchema = new LinkedHashMap<>();
    Map<ActiveFile, ParquetMetadata> footers = new HashMap<>();
    for (ActiveFile f : files) {
      ParquetMetadata footer = footer(f);
      footers.put(f, footer);
      bySchema.computeIfAbsent(footer.getFileMetaData().getSchema(), k -> new ArrayList<>()).add(f);
    }
    List<CompactionReport.PartitionOutcome> outcomes = new ArrayList<>();
    for (Map.Entry<MessageType, List<ActiveFile>> group : bySchema.entrySet()) {
      if (group.getValue().size() >= 2) {
        outcomes.add(rewrite(snapshot, group.getKey(), group.getValue(), footers));
      }
    }
    return outcomes;
  }

  private CompactionReport.PartitionOutcome rewrite(
      Snapshot snapshot, MessageType schema, List<ActiveFile> inputs, Map<ActiveFile, ParquetMetadata> footers) {
    Map<String, String> partition = inputs.get(0).partitionValues();
    StructType dataSchema = MaintainedTable.dataSchema(snapshot);
    FileStatistics statistics = new FileStatistics(dataSchema, numIndexedCols(snapshot), 32);
    String directory = DeltaTables.partitionDirectory(snapshot.getPartitionColumnNames(), partition);
    List<Written> outputs = new ArrayList<>();
    List<Path> created = new ArrayList<>();
    long bytesIn = inputs.stream().mapToLong(ActiveFile::size).sum();
    long rowsIn = 0;
    try {
      ParquetWriter<Group> writer = null;
      Path current = null;
      MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
      for (ActiveFile input : inputs) {
        try (ParquetFileReader reader = reader(input, footers.get(input))) {
          for (PageReadStore rowGroup; (rowGroup = reader.readNextRowGroup()) != null; ) {
            RecordReader<Group> records = columns.getRecordReader(rowGroup, new GroupRecordConverter(schema));
            for (long i = 0, n = rowGroup.getRowCount(); i < n; i++) {
              if (writer == null) {
                current = new Path(table.root(), directory + "part-compact-" + UUID.randomUUID() + ".c000"
                    + extension() + ".parquet");
                created.add(current);
                writer = open(current, schema);
              }
              writer.write(records.read());
              rowsIn++;
              if (writer.getDataSize() >= settings.targetFileSize()) {
                outputs.add(close(writer, current, statistics));
                writer = null;
              }
            }
          }
        }
      }
      if (writer != null) {
        outputs.add(close(writer, current, statistics));
        writer = null;
      }
      checkRowCounts(inputs, outputs, rowsIn);
    } catch (IOException e) {
      deleteQuietly(created);
      if (e instanceof java.io.InterruptedIOException || e instanceof java.nio.channels.ClosedByInterruptException) {
        // The read consumed the interrupt (a closing job): keep it visible to the caller.
        Thread.currentThread().interrupt();
      }
      throw new UncheckedIOException("Compaction of " + partition + " in " + table.path() + " failed", e);
    } catch (RuntimeException e) {
      deleteQuietly(created);
      throw e;
    }
    // From here on the files may be in the log: they are deleted only when the commit provably
    // did not land (the log owner re-reads the log before it reports a conflict).
    long version;
    try {
      version = commit(snapshot, inputs, outputs, partition);
    } catch (CommitConflictException e) {
      deleteQuietly(created);
      LOG.warn("Compaction of {} in {} lost a race with another writer; skipped: {}", partition, table.path(), e.getMessage());
      return new CompactionReport.PartitionOutcome(partition, inputs.size(), bytesIn, 0, 0, rowsIn, -1,
          "concurrent change: " + e.getMessage());
    } catch (CommitOutcomeUnknownException e) {
      LOG.warn("Compaction of {} in {}: commit outcome unknown; its {} new files are kept (vacuum removes them if"
          + " they stay unreferenced)", partition, table.path(), created.size());
      throw e;
    }
    long bytesOut = outputs.stream().mapToLong(w -> w.size).sum();
    refreshManifests(partition);
    LOG.info("Compacted {} files of {} in {} into {} files (version {})", inputs.size(), partition, table.path(), outputs.size(), version);
    return new CompactionReport.PartitionOutcome(partition, inputs.size(), bytesIn, outputs.size(), bytesOut, rowsIn, version, null);
  }

  /** Tables that have Spectrum manifests keep them current through compaction too. */
  private void refreshManifests(Map<String, String> partition) {
    try {
      if (table.fs().exists(new Path(table.root(), SymlinkManifests.DIRECTORY))) {
        new SymlinkManifests(table).update(Collections.singletonList(partition));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not refresh the manifest of {} in {} (run `tributary maintain manifest`)", partition, table.path(), e);
    }
  }

  /** Every input row must be in the output, and agree with the log's own counts when known. */
  private static void checkRowCounts(List<ActiveFile> inputs, List<Written> outputs, long rowsRead) {
    long written = outputs.stream().mapToLong(w -> w.rows).sum();
    boolean allCounted = inputs.stream().allMatch(f -> f.numRecords().isPresent());
    long logged = inputs.stream().mapToLong(f -> f.numRecords().orElse(0)).sum();
    if (written != rowsRead || (allCounted && logged != rowsRead)) {
      throw new IllegalStateException(String.format(
          "Compaction row count mismatch: log says %s, read %d, wrote %d; nothing committed",
          allCounted ? Long.toString(logged) : "?", rowsRead, written));
    }
  }

  private long commit(Snapshot snapshot, List<ActiveFile> inputs, List<Written> outputs, Map<String, String> partition) {
    // The transaction reads the snapshot the files were planned from: a compaction committed since
    // then that removed one of them is a delete-delete conflict, not a silent duplicate.
    List<DeltaLog.NewFile> added = new ArrayList<>();
    for (Written w : outputs) {
      added.add(new DeltaLog.NewFile(w.path.toString(), w.size, w.modificationTime, w.statsJson));
    }
    return table.log().commitRewrite(snapshot, ENGINE_INFO, inputs, added, partition, settings.commitMaxRetries());
  }

  private static int numIndexedCols(Snapshot snapshot) {
    String v = snapshot.getTableProperties().get("delta.dataSkippingNumIndexedCols");
    try {
      return v == null ? 32 : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return 32;
    }
  }

  private ParquetMetadata footer(ActiveFile f) {
    try (ParquetFileReader reader = ParquetFileReader.open(inputFile(f))) {
      return reader.getFooter();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the footer of " + f.path(), e);
    }
  }

  /** A reader of the file's rows that uses {@code footer} instead of reading it again. */
  private ParquetFileReader reader(ActiveFile f, ParquetMetadata footer) throws IOException {
    InputFile file = inputFile(f);
    SeekableInputStream stream = file.newStream();
    try {
      return ParquetFileReader.open(file, footer, HadoopReadOptions.builder(table.hadoopConf()).build(), stream);
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /** The file with the length the log records, opened on this thread (a cancellation may interrupt it). */
  private InputFile inputFile(ActiveFile f) throws IOException {
    return SynchronousParquetInputFile.of(new Path(f.path()), f.size(), table.hadoopConf());
  }

  private ParquetWriter<Group> open(Path path, MessageType schema) throws IOException {
    return ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, table.hadoopConf()))
        .withConf(table.hadoopConf())
        .withType(schema)
        .withCompressionCodec(CompressionCodecName.valueOf(settings.compression()))
        .withRowGroupSize(Math.min(settings.targetFileSize(), 64 * CompactionSettings.MIB))
        .withDictionaryEncoding(true)
        .withWriteMode(ParquetFileWriter.Mode.CREATE)
        .build();
  }

  private String extension() {
    CompressionCodecName codec = CompressionCodecName.valueOf(settings.compression());
    return codec == CompressionCodecName.UNCOMPRESSED ? "" : codec.getExtension();
  }

  private Written close(ParquetWriter<Group> writer, Path path, FileStatistics statistics) throws IOException {
    writer.close();
    ParquetMetadata footer = writer.getFooter();
    org.apache.hadoop.fs.FileStatus status = table.fs().getFileStatus(path);
    long rows = footer.getBlocks().stream().mapToLong(b -> b.getRowCount()).sum();
    return new Written(path, status.getLen(), status.getModificationTime(), rows, statistics.toJson(footer));
  }

  /** Removes this run's files after a failure; they were never committed. */
  private void deleteQuietly(List<Path> created) {
    for (Path p : created) {
      try {
        table.fs().delete(p, false);
      } catch (IOException e) {
        LOG.warn("Could not delete {} (vacuum will remove it)", p, e);
      }
    }
  }

  /** A file this run wrote. */
  private static final class Written {
    final Path path;
    final long size;
    final long modificationTime;
    final long rows;
    final String statsJson;

    Written(Path path, long size, long modificationTime, long rows, String statsJson) {
      this.path = path;
      this.size = size;
      this.modificationTime = modificationTime;
      this.rows = rows;
      this.statsJson = statsJson;
    }
  }
}
