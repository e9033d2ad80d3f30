package io.tributary.delta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes log checkpoint files that cannot be read, such as a checkpoint whose write was cut
 * short when Flink cancelled the committer (the file exists but holds only part of the Parquet
 * data). Kernel takes the newest checkpoint file it lists as complete, so one such file would make
 * every later snapshot fail. A checkpoint is only a summary of the JSON commits before it, which
 * are kept until a later complete checkpoint exists: deleting an unreadable one loses nothing.
 */
final class LogCheckpointRepair {
  private static final Logger LOG = LoggerFactory.getLogger(LogCheckpointRepair.class);
  private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\..+)?\\.parquet");

  private LogCheckpointRepair() {}

  /**
   * Deletes every unreadable checkpoint file under {@code <table>/_delta_log} (and
   * {@code _last_checkpoint} when it names one of them).
   *
   * @return the number of files deleted
   */
  static int removeUnreadableCheckpoints(String tablePath, Configuration conf) {
    Path log = new Path(tablePath, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(conf);
      List<Long> removedVersions = new ArrayList<>();
      for (FileStatus f : fs.listStatus(log, p -> CHECKPOINT.matcher(p.getName()).matches())) {
        if (!readable(f, conf)) {
          LOG.warn("Deleting the unreadable log checkpoint {} ({} bytes); the JSON commits it summarizes remain",
              f.getPath(), f.getLen());
          fs.delete(f.getPath(), false);
          Matcher m = CHECKPOINT.matcher(f.getPath().getName());
          m.matches();
          removedVersions.add(Long.parseLong(m.group(1)));
        }
      }
      if (!removedVersions.isEmpty()) {
        Path last = new Path(log, "_last_checkpoint");
        if (fs.exists(last)) {
          // Kernel lists the log when the hint is missing; a hint at a deleted checkpoint would mislead it.
          fs.delete(last, false);
        }
      }
      return removedVersions.size();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the log checkpoints of " + tablePath, e);
    }
  }

  private static boolean readable(FileStatus f, Configuration conf) {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
      reader.getFooter();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
