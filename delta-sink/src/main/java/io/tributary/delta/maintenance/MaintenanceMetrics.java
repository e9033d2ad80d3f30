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
  private final LongSupplier activePartitionFiles;
  private final LongSupplier maxPartitionFiles;
  private final LongSupplier lagMs;

  /**
   * @param activePartitionFiles active data files of the partition the latest commit wrote (the
   *     largest when it wrote several)
   * @param maxPartitionFiles active data files of the table's largest partition, as of the last run
   * @param lagMs age of the oldest commit no finished run has looked at; 0 when none
   * @param lagCommits commits since the last run started
   */
  public MaintenanceMetrics(MetricGroup group, LongSupplier activePartitionFiles, LongSupplier maxPartitionFiles,
      LongSupplier lagMs, LongSupplier lagCommits) {
    this.activePartitionFiles = activePartitionFiles;
    this.maxPartitionFiles = maxPartitionFiles;
    this.lagMs = lagMs;
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

  /**
   * Registers the metrics a table's dashboard shows in {@code tableGroup} too (the group Managed
   * Flink forwards to CloudWatch, one per table): the file gauges, the lag in milliseconds and the
   * compaction counters. The same counter objects, so both places report the same counts.
   */
  public void publish(MetricGroup tableGroup) {
    tableGroup.gauge("deltaActivePartitionFiles", activePartitionFiles::getAsLong);
    tableGroup.gauge("deltaMaxPartitionFiles", maxPartitionFiles::getAsLong);
    tableGroup.gauge("deltaMaintenanceLagMs", lagMs::getAsLong);
    tableGroup.counter("deltaCompactionsRun", compactionsRun);
    tableGroup.counter("deltaCompactionsFailed", compactionsFailed);
    tableGroup.counter("deltaCompactionBytesRewritten", bytesRewritten);
  }
}
