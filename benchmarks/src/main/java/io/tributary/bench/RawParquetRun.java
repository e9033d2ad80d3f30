package io.tributary.bench;

import io.tributary.delta.DeltaSinkOptions;
import io.tributary.delta.parquet.DictionaryAdvisor;
import io.tributary.delta.parquet.ParquetFileAppender;
import io.tributary.delta.parquet.RowDataWriteSupport;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The ceiling: the sink's own Parquet writer ({@link ParquetFileAppender} + {@link
 * RowDataWriteSupport}) in a plain loop, no Flink. One thread per "subtask", each writing a
 * contiguous range of ids like the Flink source does, with one open file per {@code event_date}
 * (partition column left out of the file, as the sink does), the sink's default codec, row group
 * and page size, and a roll at the sink's default target file size.
 */
final class RawParquetRun {
  private static final int SIZE_CHECK_INTERVAL = 256;

  private RawParquetRun() {}

  /** Writes rows {@code 0..rows-1} under {@code dir}; returns the number of files written. */
  static long run(java.nio.file.Path dir, long rows, int threads, int days) throws Exception {
    Configuration conf = new Configuration();
    Path root = new Path(dir.toUri());
    FileSystem fs = root.getFileSystem(conf);
    ParquetFileAppender.Settings settings =
        new ParquetFileAppender.Settings(
            DeltaSinkOptions.COMPRESSION.defaultValue().name(),
            DeltaSinkOptions.ROW_GROUP_SIZE.defaultValue().getBytes(),
            DeltaSinkOptions.PAGE_SIZE.defaultValue().getBytes());
    long targetFileSize = DeltaSinkOptions.TARGET_FILE_SIZE.defaultValue().getBytes();
    Map<String, String> metadata = Collections.singletonMap("writer.model.name", "tributary-bench-raw");

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long from = rows * t / threads;
        long to = rows * (t + 1) / threads;
        int subtask = t;
        parts.add(
            pool.submit(
                () -> writeRange(fs, root, conf, settings, targetFileSize, metadata, subtask, from, to, days)));
      }
      long files = 0;
      for (Future<Long> f : parts) {
        try {
          files += f.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
      }
      return files;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long writeRange(
      FileSystem fs,
      Path root,
      Configuration conf,
      ParquetFileAppender.Settings settings,
      long targetFileSize,
      Map<String, String> metadata,
      int subtask,
      long from,
      long to,
      int days)
      throws IOException {
    EventRows.EventRow row = new EventRows.EventRow(days);
    ParquetFileAppender[] open = new ParquetFileAppender[days];
    String[] dirs = new String[days];
    for (int d = 0; d < days; d++) {
      dirs[d] = EventRows.PARTITION_COLUMN + "=" + LocalDate.ofEpochDay(EventRows.FIRST_DAY + d) + "/";
    }
    DictionaryAdvisor dictionaries = new DictionaryAdvisor(); // as the sink's writer does
    long files = 0;
    for (long i = from; i < to; i++) {
      row.set(i);
      int d = row.dayIndex();
      ParquetFileAppender file = open[d];
      if (file == null) {
        String name = String.format("part-%05d-%s.c000%s.parquet", subtask, UUID.randomUUID(), settings.extension());
        file =
            new ParquetFileAppender(
                fs,
                new Path(root, dirs[d] + name),
                conf,
                new RowDataWriteSupport(EventRows.ROW_TYPE, EventRows.DATA_FIELDS, metadata),
                settings,
                dictionaries);
        open[d] = file;
      }
      file.write(row);
      if (file.records() % SIZE_CHECK_INTERVAL == 0 && file.estimatedSize() >= targetFileSize) {
        file.close();
        open[d] = null;
        files++;
      }
    }
    for (ParquetFileAppender file : open) {
      if (file != null) {
        file.close();
        files++;
      }
    }
    return files;
  }
}
