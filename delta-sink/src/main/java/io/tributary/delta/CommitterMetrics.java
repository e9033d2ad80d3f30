package io.tributary.delta;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** The committer's metrics: what was committed, what was recognized as already committed. */
final class CommitterMetrics {
  private final Counter commits;
  private final Counter skipped;
  private final Counter committedRows;
  private final Counter committedFiles;
  private volatile long lastVersion = -1;
  private volatile long lastDurationMs = -1;

  CommitterMetrics(MetricGroup metrics) {
    this.commits = metrics.counter("deltaCommits");
    this.skipped = metrics.counter("deltaCommitsSkippedAsReplayed");
    this.committedRows = metrics.counter("deltaRowsCommitted");
    this.committedFiles = metrics.counter("deltaFilesCommitted");
    metrics.gauge("deltaLastCommittedVersion", () -> lastVersion);
    metrics.gauge("deltaLastCommitDurationMs", () -> lastDurationMs);
  }

  void committed(DeltaCommittable c, long version, long durationMs) {
    lastVersion = version;
    lastDurationMs = durationMs;
    commits.inc();
    committedRows.inc(c.numRecords());
    committedFiles.inc(c.files().size());
  }

  void skipped() {
    skipped.inc();
  }
}
