package io.tributary.delta.maintenance;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/** What a {@link Vacuum} run deleted (or, in dry-run mode, would delete). */
public final class VacuumReport {
  private final List<String> files;
  private final long bytes;
  private final boolean dryRun;
  private final int activeFiles;
  private final Duration retention;

  VacuumReport(List<String> files, long bytes, boolean dryRun, int activeFiles, Duration retention) {
    this.files = Collections.unmodifiableList(files);
    this.bytes = bytes;
    this.dryRun = dryRun;
    this.activeFiles = activeFiles;
    this.retention = retention;
  }

  /** Paths deleted, or that would be deleted in dry-run mode. */
  public List<String> files() {
    return files;
  }

  public long bytes() {
    return bytes;
  }

  public boolean dryRun() {
    return dryRun;
  }

  public int activeFiles() {
    return activeFiles;
  }

  @Override
  public String toString() {
    return String.format("%s %d unreferenced files (%d bytes) older than %s; %d active files kept",
        dryRun ? "would delete" : "deleted", files.size(), bytes, retention, activeFiles);
  }
}
