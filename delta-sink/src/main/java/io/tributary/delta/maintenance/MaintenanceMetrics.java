package io.tributary.delta.maintenance;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Metrics of the committer's in-job maintenance ({@link StreamingMaintenance}). Names start with
 * {@code deltaMaintenance} or {@code deltaCompaction}, distinct from the writer's and the
 * committer's own.
 */
public final class MaintenanceMetrics {
  final Counter runs;
  final Counter compactionsRun;
  final Counter compactionsSkipped;
  final Counter compactionsFailed;
  final Counter bytesRewritten;
  final Counter filesRemoved;
  final Counter vacuumRuns;
  final Counter vacuumFilesDeleted;

  /**
   * @param activePartitionFiles active data files of the partition the latest commit wrote (the
   *     largest when it wrote several)
   * @param maxPartitionFiles active data files of the table's largest partition, as of the last run
   * @param lagMs age of the oldest commit no finished run has looked at; 0 when none
   * @param lagCommits commits since the last run started
   */
  public MaintenanceMetrics(MetricGroup group, LongSupplier activePartitionFiles, LongSupplier maxPartitionFiles,
      LongSupplier lagMs, LongSupplier lagCommits) {
    this.runs = group.counter("deltaMaintenanceRuns");
    this.compactionsRun = group.counter("deltaCompactionsRun");
    this.compactionsSkipped = group.counter("deltaCompactionsSkipped");
    this.compactionsFailed = group.counter("deltaCompactionsFailed");
    this.bytesRewritten = group.counter("deltaCompactionBytesRewritten");
    this.filesRemoved = group.counter("deltaCompactionFilesRemoved");
    this.vacuumRuns = group.counter("deltaVacuumRuns");
    this.vacuumFilesDeleted = group.counter("deltaVacuumFilesDeleted");
    group.gauge("deltaActivePartitionFiles", activePartitionFiles::getAsLong);
    group.gauge("deltaMaxPartitionFiles", maxPartitionFiles::getAsLong);
    group.gauge("deltaMaintenanceLagMs", lagMs::getAsLong);
    group.gauge("deltaMaintenanceLagCommits", lagCommits::getAsLong);
  }
}
