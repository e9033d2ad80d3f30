package io.tributary.delta.log;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes log checkpoint files that are proven corrupt, such as one whose write was cut short
 * when Flink cancelled the committer on a file system where partial writes are visible. Kernel
 * takes the newest checkpoint it lists as complete, so one such file makes every later snapshot
 * fail.
 *
 * <p>Contract: a file is deleted only when both hold:
 *
 * <ul>
 *   <li>it is <em>proven</em> corrupt: it was read successfully to its end (the length the listing
 *       gives, then end of stream) and its Parquet framing or footer is invalid. Any error while
 *       reading it (throttling, 403, a timeout) proves nothing and the file is kept;
 *   <li>the JSON commits it summarizes still exist: every version after the newest readable
 *       checkpoint below it, up to its own version. Log cleanup may have removed them; then the
 *       checkpoint cannot be dropped and {@link CorruptCheckpointException} is thrown instead,
 *       with nothing deleted.
 * </ul>
 */
final class CheckpointRepair {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointRepair.class);
  private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\..+)?\\.parquet");
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  /** A footer larger than this is not plausible for a log checkpoint; such a length is corruption. */
  private static final int MAX_FOOTER = 256 * 1024 * 1024;

  /** What reading a checkpoint file proved. */
  enum Verdict {
    READABLE,
    CORRUPT,
    /** The read failed: nothing is proven either way. */
    UNKNOWN
  }

  private CheckpointRepair() {}

  /**
   * Deletes the proven-corrupt checkpoint files under {@code <table>/_delta_log} (and
   * {@code _last_checkpoint}, which may name one).
   *
   * @return the number of files deleted
   * @throws IOException when the log cannot be listed or a file cannot be deleted (transient:
   *     nothing is proven, retry later)
   * @throws CorruptCheckpointException when a corrupt checkpoint cannot be removed safely
   */
  static int removeCorruptCheckpoints(String tablePath, Configuration conf) throws IOException {
    Path log = new Path(tablePath, "_delta_log");
    FileSystem fs = log.getFileSystem(conf);
    Set<Long> commits = new HashSet<>();
    // version -> verdicts of its files (a multi-part checkpoint has several)
    TreeMap<Long, List<FileStatus>> corrupt = new TreeMap<>();
    TreeMap<Long, Verdict> checkpoints = new TreeMap<>();
    for (FileStatus f : fs.listStatus(log)) {
      String name = f.getPath().getName();
      Matcher c = COMMIT.matcher(name);
      if (c.matches()) {
        commits.add(Long.parseLong(c.group(1)));
        continue;
      }
      Matcher m = CHECKPOINT.matcher(name);
      if (!m.matches()) {
        continue;
      }
      long version = Long.parseLong(m.group(1));
      Verdict verdict = examine(fs, f);
      if (verdict == Verdict.CORRUPT) {
        corrupt.computeIfAbsent(version, v -> new ArrayList<>()).add(f);
        checkpoints.put(version, Verdict.CORRUPT);
      } else if (checkpoints.get(version) != Verdict.CORRUPT) {
        checkpoints.merge(version, verdict, (a, b) -> a == Verdict.UNKNOWN || b == Verdict.UNKNOWN ? Verdict.UNKNOWN : a);
      }
    }
    if (corrupt.isEmpty()) {
      return 0;
    }
    for (long version : corrupt.keySet()) {
      Long base = null;
      for (Long v = checkpoints.lowerKey(version); v != null; v = checkpoints.lowerKey(v)) {
        if (checkpoints.get(v) == Verdict.READABLE) {
          base = v;
          break;
        }
      }
      long from = base == null ? 0 : base + 1;
      for (long v = from; v <= version; v++) {
        if (!commits.contains(v)) {
          if (checkpoints.headMap(version).containsValue(Verdict.UNKNOWN)) {
            // An older checkpoint could not be read just now and may be the complete base: retry later.
            throw new IOException("Cannot tell whether the corrupt log checkpoint of version " + version + " of "
                + tablePath + " can be removed: an older checkpoint could not be read");
          }
          throw new CorruptCheckpointException(String.format(
              "Log checkpoint %s of %s is corrupt (no valid Parquet footer) but the JSON commit of version %d,"
                  + " which it summarizes, is gone (log cleanup), so removing it would lose the table's state."
                  + " Nothing was deleted. Restore the checkpoint file from a backup or versioned bucket.",
              corrupt.get(version).get(0).getPath().getName(), tablePath, v), null);
        }
      }
    }
    int deleted = 0;
    for (List<FileStatus> files : corrupt.values()) {
      for (FileStatus f : files) {
        LOG.warn("Deleting the corrupt log checkpoint {} ({} bytes, no valid Parquet footer); the JSON commits it"
            + " summarizes remain", f.getPath(), f.getLen());
        fs.delete(f.getPath(), false);
        deleted++;
      }
    }
    Path last = new Path(log, "_last_checkpoint");
    if (fs.exists(last)) {
      // Kernel lists the log when the hint is missing; a hint at a deleted checkpoint would mislead it.
      fs.delete(last, false);
    }
    return deleted;
  }

  /**
   * Reads the file's framing and footer. CORRUPT only when the bytes were read to the end of the
   * stream and do not form a Parquet file; UNKNOWN on any read failure.
   */
  static Verdict examine(FileSystem fs, FileStatus f) {
    if (fs instanceof ChecksumFileSystem) {
      // The content decides; a side checksum file of a cut-short write proves nothing more.
      fs = ((ChecksumFileSystem) fs).getRawFileSystem();
    }
    long len = f.getLen();
    try (FSDataInputStream in = fs.open(f.getPath())) {
      if (len < 12) {
        byte[] all = new byte[(int) len];
        in.readFully(0, all);
        in.seek(len);
        return in.read() == -1 ? Verdict.CORRUPT : Verdict.UNKNOWN;
      }
      byte[] head = new byte[4];
      in.readFully(0, head);
      byte[] tail = new byte[8];
      in.seek(len - 8);
      in.readFully(tail);
      if (in.read() != -1) {
        return Verdict.UNKNOWN; // longer than listed: a file being replaced; prove nothing
      }
      if (!Arrays.equals(head, MAGIC) || !Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        return Verdict.CORRUPT;
      }
      long footerLength = (tail[0] & 0xFFL) | (tail[1] & 0xFFL) << 8 | (tail[2] & 0xFFL) << 16 | (tail[3] & 0xFFL) << 24;
      if (footerLength <= 0 || footerLength > len - 12 || footerLength > MAX_FOOTER) {
        return Verdict.CORRUPT;
      }
      byte[] footer = new byte[(int) footerLength];
      in.readFully(len - 8 - footerLength, footer);
      try {
        FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
        return meta.getSchema() == null || meta.getSchema().isEmpty() ? Verdict.CORRUPT : Verdict.READABLE;
      } catch (IOException | RuntimeException e) {
        // The bytes are in memory: a decoding failure is the content's, not the store's.
        return Verdict.CORRUPT;
      }
    } catch (EOFException e) {
      // Shorter than listed: a file being replaced or an inconsistent listing; prove nothing.
      return Verdict.UNKNOWN;
    } catch (IOException | RuntimeException e) {
      LOG.info("Could not read log checkpoint {} ({}); it is kept", f.getPath(), e.toString());
      return Verdict.UNKNOWN;
    }
  }
}
