package io.tributary.delta.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.Snapshot;
import io.tributary.delta.ActiveFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes data files the table no longer references and that are older than a retention period:
 * files removed by compaction, and orphans of failed writer attempts (closed for a checkpoint
 * that never completed).
 *
 * <p>A file is kept when any of these holds: the latest snapshot references it; a commit within
 * the retention period removed it (time travel to that period still needs it); it was modified
 * within the retention period (it may belong to a commit in flight). Only files under the table
 * root outside {@code _delta_log} and {@code _symlink_format_manifest} are considered, and hidden
 * files ({@code .}/{@code _} prefixes, such as Hadoop's {@code .crc}) are left alone. As a safety
 * net the run stops without deleting anything if a file the snapshot references is not found by
 * the listing (a path mismatch must never turn into data loss).
 *
 * <p>Pending commits are protected by age alone: a sink's committable can wait in a checkpoint or
 * savepoint for as long as its job is down, and its files are older than that wait. The
 * retention must therefore exceed the longest time a job can be down plus the age of the oldest
 * checkpoint or savepoint it may be restored from. If it does not, the restored committer refuses
 * to commit the deleted files ({@code MissingDataFilesException}) rather than commit them.
 */
public final class Vacuum {

  /** Delta's default; shorter periods can break readers of older versions and in-flight commits. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  private static final Logger LOG = LoggerFactory.getLogger(Vacuum.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MaintainedTable table;
  private final Duration retention;
  private final boolean dryRun;

  /**
   * @param force allow a retention below {@link #DEFAULT_RETENTION}
   * @throws IllegalArgumentException for a retention below 7 days without {@code force}
   */
  public Vacuum(MaintainedTable table, Duration retention, boolean dryRun, boolean force) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("Vacuum retention must not be negative, was " + retention);
    }
    if (retention.compareTo(DEFAULT_RETENTION) < 0 && !force) {
      throw new IllegalArgumentException("Vacuum retention " + retention + " is below the minimum of "
          + DEFAULT_RETENTION.toDays() + " days: files of commits still in flight and versions readers may"
          + " still be reading could be deleted. Pass force to do it anyway.");
    }
    this.table = table;
    this.retention = retention;
    this.dryRun = dryRun;
  }

  /** Runs the vacuum (or, in dry-run mode, lists what it would delete). */
  public VacuumReport run() {
    long now = System.currentTimeMillis();
    long cutoff = now - retention.toMillis();
    Snapshot snapshot = table.snapshot();
    List<ActiveFile> active = ActiveFile.list(table.engine(), snapshot);
    Set<String> activeKeys = new HashSet<>();
    for (ActiveFile f : active) {
      activeKeys.add(key(new Path(f.path())));
    }
    Set<String> keep = new HashSet<>(activeKeys);
    keep.addAll(recentlyRemoved(cutoff));
    Set<String> activeFound = new HashSet<>();

    List<FileStatus> candidates = new ArrayList<>();
    long bytes = 0;
    try {
      RemoteIterator<LocatedFileStatus> it = table.fs().listFiles(table.root(), true);
      while (it.hasNext()) {
        LocatedFileStatus status = it.next();
        if (!isDataFile(status.getPath())) {
          continue;
        }
        String key = key(status.getPath());
        if (keep.contains(key)) {
          if (activeKeys.contains(key)) {
            activeFound.add(key);
          }
          continue;
        }
        if (status.getModificationTime() < cutoff) {
          candidates.add(status);
          bytes += status.getLen();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + table.path(), e);
    }
    if (activeFound.size() < activeKeys.size()) {
      throw new IllegalStateException(String.format(
          "Vacuum stopped, nothing deleted: the snapshot references %d files but only %d were found under %s."
              + " A file is missing or paths do not match; investigate before vacuuming.",
          activeKeys.size(), activeFound.size(), table.path()));
    }
    List<String> deleted = new ArrayList<>();
    for (FileStatus f : candidates) {
      if (!dryRun) {
        try {
          table.fs().delete(f.getPath(), false);
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot delete " + f.getPath() + " (deleted so far: " + deleted.size() + ")", e);
        }
      }
      deleted.add(f.getPath().toString());
    }
    if (!dryRun && !deleted.isEmpty()) {
      LOG.info("Vacuum deleted {} files ({} bytes) from {}", deleted.size(), bytes, table.path());
    }
    return new VacuumReport(deleted, bytes, dryRun, active.size(), retention);
  }

  /** Paths removed by commits made after {@code cutoff}, read from the JSON commit files. */
  private Set<String> recentlyRemoved(long cutoff) {
    Set<String> removed = new HashSet<>();
    Path log = new Path(table.root(), "_delta_log");
    try {
      for (FileStatus commit : table.fs().listStatus(log, p -> p.getName().matches("\\d{20}\\.json"))) {
        if (commit.getModificationTime() < cutoff) {
          continue;
        }
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(table.fs().open(commit.getPath()), StandardCharsets.UTF_8))) {
          for (String line; (line = reader.readLine()) != null; ) {
            if (!line.contains("\"remove\"")) {
              continue;
            }
            JsonNode remove = JSON.readTree(line).get("remove");
            if (remove != null && remove.hasNonNull("path")) {
              removed.add(key(resolve(remove.get("path").asText())));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the log of " + table.path(), e);
    }
    return removed;
  }

  /** A log path (URI-encoded, relative to the root or absolute) as a file system path. */
  private Path resolve(String logPath) {
    try {
      URI uri = new URI(logPath);
      Path p = new Path(uri);
      return uri.isAbsolute() ? p : new Path(table.root(), p);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Unreadable path in the log of " + table.path() + ": " + logPath, e);
    }
  }

  private boolean isDataFile(Path path) {
    String relative = table.root().toUri().relativize(path.toUri()).getPath();
    if (relative.startsWith("_delta_log/") || relative.startsWith("_symlink_format_manifest/")) {
      return false;
    }
    for (String part : relative.split("/")) {
      if (part.startsWith(".") || (part.startsWith("_") && !part.contains("="))) {
        return false;
      }
    }
    return true;
  }

  /** Comparable form: the decoded path component of the fully qualified path. */
  private String key(Path path) {
    return table.fs().makeQualified(path).toUri().getPath();
  }
}
