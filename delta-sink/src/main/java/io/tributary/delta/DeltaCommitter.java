package io.tributary.delta;

import io.delta.kernel.exceptions.TableNotFoundException;
import io.tributary.delta.log.DeltaLog;
import io.tributary.delta.log.SchemaJson;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.maintenance.StreamingMaintenance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits each {@link DeltaCommittable} as one Delta commit, in checkpoint order, carrying the
 * transaction identifier {@code (applicationId, checkpointId)}, through the table's {@link
 * DeltaLog}. A committable whose identifier the table already records (a replay after restore, or
 * a commit whose acknowledgement was lost) is skipped, so restores commit each checkpoint exactly
 * once.
 *
 * <p><b>Restores from an older checkpoint are refused.</b> A restored checkpoint's state holds the
 * committable of that checkpoint. If the table already records a <em>later</em> checkpoint of the
 * same run, the job was restored from an older checkpoint or savepoint than the newest one this
 * sink committed (e.g. an automatic rollback): the replay would write the later checkpoints' rows
 * again. The committer then fails with {@link OlderCheckpointRestoredException} unless {@link
 * DeltaSinkOptions#RESTORE_ACCEPT_OLDER_CHECKPOINT} is set. A restored checkpoint without data has
 * no committable, so such a restore is not detected here.
 *
 * <p>Schema changes the files need are committed first, by this single committer, so they never
 * race its data commits. Post-commit work and metrics live in {@link PostCommitWork} and {@link
 * CommitterMetrics}; in-job table maintenance (compaction, vacuum) runs on the background thread of
 * its {@link StreamingMaintenance}, told of every landed commit and never waited for.
 */
final class DeltaCommitter implements Committer<DeltaCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitter.class);

  private final DeltaSinkConfig config;
  private final DeltaLog log;
  private final CommitterMetrics metrics;
  private final TableMetrics tableMetrics;
  private final PostCommitWork postCommit;
  /** The checkpoint this committer's state was restored from (empty for a fresh start). */
  private final java.util.OptionalLong restoredCheckpointId;
  private final StreamingMaintenance maintenance;

  DeltaCommitter(DeltaSinkConfig config, MetricGroup metrics) {
    this(config, metrics, java.util.OptionalLong.empty());
  }

  DeltaCommitter(DeltaSinkConfig config, MetricGroup metrics, java.util.OptionalLong restoredCheckpointId) {
    this.restoredCheckpointId = restoredCheckpointId;
    this.config = config;
    org.apache.hadoop.conf.Configuration hadoopConf = config.hadoopConfiguration();
    // Backoff between log-write retries; an interrupt (cancellation) ends the commit.
    this.log = new DeltaLog(config.tablePath(), hadoopConf, new CommitRetryEngine(DeltaTables.engine(hadoopConf)));
    this.metrics = new CommitterMetrics(metrics);
    this.postCommit = new PostCommitWork(config, log);
    // Maintenance gets an engine of its own, opened on its thread when it first runs.
    this.maintenance = new StreamingMaintenance(config.tablePath(), config.maintenance(),
        () -> {
          org.apache.hadoop.conf.Configuration conf = config.hadoopConfiguration();
          return MaintainedTable.forSink(config, conf, DeltaTables.engine(conf));
        },
        metrics, System::currentTimeMillis);
    this.tableMetrics = new TableMetrics(metrics, config.tablePath(), System::currentTimeMillis, maintenance::publishMetrics);
  }

  @Override
  public void commit(Collection<CommitRequest<DeltaCommittable>> requests) {
    List<CommitRequest<DeltaCommittable>> ordered = new ArrayList<>(requests);
    ordered.sort(Comparator.comparingLong(r -> r.getCommittable().checkpointId()));
    for (CommitRequest<DeltaCommittable> request : ordered) {
      if (!commit(request.getCommittable())) {
        request.signalAlreadyCommitted();
      }
    }
  }

  /**
   * Commits one checkpoint's files.
   *
   * @return false if the table already holds this commit
   * @throws io.tributary.delta.log.MissingDataFilesException when a file of the committable is gone
   * @throws io.tributary.delta.log.CommitOutcomeUnknownException when the outcome is unknown (the
   *     restart replays the committable, and the identifier tells)
   */
  boolean commit(DeltaCommittable c) {
    try {
      return commitOnce(c);
    } catch (RuntimeException e) {
      throw CommitRetryEngine.restoreInterrupt(e);
    }
  }

  private boolean commitOnce(DeltaCommittable c) {
    long start = System.nanoTime();
    String appId = c.applicationId();
    Optional<Long> recorded = recordedVersion(appId, c);
    checkNotOlderRestore(c, recorded);
    if (recorded.isPresent() && recorded.get() >= c.checkpointId()) {
      LOG.info("Skipping {}: table already records checkpoint {} for this writer", c, recorded.get());
      metrics.skipped();
      return false;
    }
    if (c.schemaJson() != null) {
      log.ensureColumns(SchemaJson.parse(c.schemaJson()));
    }
    Optional<DeltaLog.Committed> committed =
        log.append(appId, c.checkpointId(), c.files(), config.commitMaxRetries(), c.toString());
    if (committed.isEmpty()) {
      // Another committer (a zombie of this job) committed the same checkpoint first.
      LOG.warn("Skipping {}: committed concurrently by another committer", c);
      metrics.skipped();
      return false;
    }
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    metrics.committed(c, committed.get().version(), durationMs);
    tableMetrics.committed();
    LOG.info("Committed {} as version {} ({} rows) in {} ms", c, committed.get().version(), c.numRecords(), durationMs);
    postCommit.after(c, committed.get());
    maintenance.afterCommit(filesPerPartition(c));
    return true;
  }

  /** See the class doc: a restored committable whose run the table records past the restored checkpoint. */
  private void checkNotOlderRestore(DeltaCommittable c, Optional<Long> recorded) {
    if (restoredCheckpointId.isEmpty() || recorded.isEmpty() || c.checkpointId() > restoredCheckpointId.getAsLong()
        || recorded.get() <= restoredCheckpointId.getAsLong()) {
      return;
    }
    OlderCheckpointRestoredException e =
        new OlderCheckpointRestoredException(config.tablePath(), c.applicationId(), restoredCheckpointId.getAsLong(), recorded.get());
    if (!config.acceptOlderCheckpoint()) {
      throw e;
    }
    LOG.warn("{} Continuing because {} is true", e.getMessage(), DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT.key());
  }

  private Optional<Long> recordedVersion(String appId, DeltaCommittable c) {
    try {
      return log.recordedTransactionVersion(appId);
    } catch (TableNotFoundException e) {
      throw new IllegalStateException("Delta table " + config.tablePath() + " disappeared; cannot commit " + c, e);
    }
  }

  private Map<Map<String, String>, StreamingMaintenance.Added> filesPerPartition(DeltaCommittable c) {
    Map<Map<String, String>, List<DataFile>> byPartition = new LinkedHashMap<>();
    c.files().forEach(f -> byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f));
    long small = config.maintenance().smallFileSize();
    Map<Map<String, String>, StreamingMaintenance.Added> added = new LinkedHashMap<>();
    byPartition.forEach((p, files) -> added.put(p, new StreamingMaintenance.Added(files.size(),
        (int) files.stream().filter(f -> f.size() < small).count(),
        files.stream().filter(f -> f.size() < small).mapToLong(DataFile::size).sum())));
    return added;
  }

  /** The committer's maintenance, for tests. */
  StreamingMaintenance maintenance() {
    return maintenance;
  }

  @Override
  public void close() {
    maintenance.close();
    postCommit.close();
  }
}
