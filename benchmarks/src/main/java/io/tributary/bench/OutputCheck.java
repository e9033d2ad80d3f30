package io.tributary.bench;

import io.tributary.delta.ActiveFile;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.tributary.delta.ActiveFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Checks what a writer left behind, independently of the writer: row counts from the Parquet
 * footers (and, for Delta, from the log's per-file statistics), and optionally every {@code id}
 * read back from the files, so lost or duplicated rows are caught and a fast-but-wrong run cannot
 * pass.
 */
final class OutputCheck {
  private OutputCheck() {}

  /** What was found; {@link #problems} is empty when everything matches. */
  static final class Summary {
    long files;
    long bytes;
    long footerRows;
    long rowGroups;
    /** Rows according to the Delta log's statistics; -1 when not a Delta table. */
    long logRows = -1;
    /** Delta table version; -1 when not a Delta table. */
    long version = -1;
    final TreeSet<String> codecs = new TreeSet<>();
    /** Distinct ids read back; -1 when ids were not read. */
    long distinctIds = -1;
    final List<String> problems = new ArrayList<>();

    boolean ok() {
      return problems.isEmpty();
    }
  }

  /** Parquet data files under {@code dir}, skipping hidden/in-progress files, .crc and logs. */
  static List<Path> dataFiles(java.nio.file.Path dir, Summary into) throws IOException {
    if (!Files.isDirectory(dir)) {
      into.problems.add("output directory " + dir + " does not exist");
      return new ArrayList<>();
    }
    try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
      List<java.nio.file.Path> files = all.filter(Files::isRegularFile).collect(Collectors.toList());
      List<Path> out = new ArrayList<>();
      for (java.nio.file.Path f : files) {
        String name = f.getFileName().toString();
        if (name.contains("inprogress")) {
          into.problems.add("in-progress file left behind: " + f);
        } else if (!name.startsWith(".") && !name.startsWith("_") && name.endsWith(".parquet")) {
          out.add(new Path(f.toUri()));
        }
      }
      return out;
    }
  }

  /** Footer counts (and ids) of plain Parquet files, expecting ids {@code 0..expected-1}. */
  static Summary parquet(java.nio.file.Path dir, long expected, boolean checkIds) throws IOException {
    Summary s = new Summary();
    List<Path> files = dataFiles(dir, s);
    readFiles(files, expected, checkIds, s);
    return s;
  }

  /** Reads the latest snapshot of a Delta table from its log, then checks the files it lists. */
  static Summary delta(String tablePath, long expected, boolean checkIds) throws IOException {
    Summary s = new Summary();
    Configuration conf = new Configuration();
    Engine engine = DefaultEngine.create(conf);
    Snapshot snapshot = Table.forPath(engine, tablePath).getLatestSnapshot(engine);
    s.version = snapshot.getVersion();
    List<Path> files = new ArrayList<>();
    long logRows = 0;
    long logBytes = 0;
    long noStats = 0;
    for (ActiveFile f : ActiveFile.list(engine, snapshot)) {
      files.add(new Path(f.path()));
      logBytes += f.size();
      if (f.numRecords().isPresent()) {
        logRows += f.numRecords().getAsLong();
      } else {
        noStats++;
      }
    }
    s.logRows = logRows;
    if (noStats > 0) {
      s.problems.add(noStats + " files in the Delta log have no numRecords statistic");
    }
    if (logRows != expected) {
      s.problems.add("Delta log statistics count " + logRows + " rows, expected " + expected);
    }
    readFiles(files, expected, checkIds, s);
    if (s.bytes != logBytes) {
      s.problems.add("Delta log sizes total " + logBytes + " bytes but the files hold " + s.bytes);
    }
    return s;
  }

  private static void readFiles(List<Path> files, long expected, boolean checkIds, Summary s)
      throws IOException {
    Configuration conf = new Configuration();
    BitSet seen = checkIds ? new BitSet((int) Math.min(Integer.MAX_VALUE, expected)) : null;
    long[] bad = new long[3]; // duplicates, out of range, null
    for (Path file : files) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
        ParquetMetadata footer = reader.getFooter();
        s.files++;
        s.bytes += fileLength(file, conf);
        for (BlockMetaData block : footer.getBlocks()) {
          s.footerRows += block.getRowCount();
          s.rowGroups++;
          for (ColumnChunkMetaData c : block.getColumns()) {
            s.codecs.add(c.getCodec().name());
          }
        }
        if (seen != null) {
          readIds(reader, footer, expected, seen, bad);
        }
      } catch (RuntimeException e) {
        s.problems.add("cannot read " + file + ": " + e);
      }
    }
    if (s.footerRows != expected) {
      s.problems.add("Parquet footers count " + s.footerRows + " rows, expected " + expected);
    }
    if (seen != null) {
      s.distinctIds = seen.cardinality();
      if (bad[0] > 0) {
        s.problems.add(bad[0] + " duplicated ids");
      }
      if (bad[1] > 0) {
        s.problems.add(bad[1] + " ids outside 0.." + (expected - 1));
      }
      if (bad[2] > 0) {
        s.problems.add(bad[2] + " null ids");
      }
      if (s.distinctIds != expected) {
        s.problems.add((expected - s.distinctIds) + " ids missing (" + s.distinctIds + " distinct of " + expected + ")");
      }
    }
  }

  private static long fileLength(Path file, Configuration conf) throws IOException {
    return file.getFileSystem(conf).getFileStatus(file).getLen();
  }

  /** Reads only the {@code id} column, marking each id in {@code seen}. */
  private static void readIds(
      ParquetFileReader reader, ParquetMetadata footer, long expected, BitSet seen, long[] bad)
      throws IOException {
    MessageType schema = footer.getFileMetaData().getSchema();
    MessageType projection = new MessageType(schema.getName(), schema.getType("id"));
    ColumnDescriptor id = projection.getColumnDescription(new String[] {"id"});
    reader.setRequestedSchema(projection);
    String createdBy = footer.getFileMetaData().getCreatedBy();
    PageReadStore pages;
    while ((pages = reader.readNextRowGroup()) != null) {
      ColumnReader column = new ColumnReadStoreImpl(pages, new IgnoringConverter(), projection, createdBy).getColumnReader(id);
      long rows = pages.getRowCount();
      int maxDef = id.getMaxDefinitionLevel();
      for (long i = 0; i < rows; i++) {
        if (column.getCurrentDefinitionLevel() < maxDef) {
          bad[2]++;
        } else {
          long v = column.getLong();
          if (v < 0 || v >= expected) {
            bad[1]++;
          } else if (seen.get((int) v)) {
            bad[0]++;
          } else {
            seen.set((int) v);
          }
        }
        column.consume();
      }
    }
  }

  /** The column reader needs a converter tree; values are read directly instead. */
  private static final class IgnoringConverter extends GroupConverter {
    @Override
    public Converter getConverter(int fieldIndex) {
      return new PrimitiveConverter() {};
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }

  static String describe(Summary s) {
    return s.problems.isEmpty() ? "ok" : String.join("; ", s.problems);
  }
}
