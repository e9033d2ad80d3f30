package io.tributary.delta.maintenance;

import io.delta.kernel.Snapshot;
import io.tributary.delta.ActiveFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table maintenance inside a streaming job, owned by the sink's committer: after commits it
 * compacts the small files of the partitions those commits touched (late data included) and, on a
 * long interval, vacuums the table. Log checkpoints are the commit's own post-commit work, and
 * tables with Spectrum manifests get the compacted partitions' manifests rewritten by {@link
 * Compactor}.
 *
 * <p>Contracts:
 *
 * <ul>
 *   <li><b>Never blocks a commit.</b> {@link #afterCommit} only records what the commit touched
 *       and, when a threshold is reached and no run is under way, hands a run to this object's
 *       single background thread. At most one run exists at a time (one per table, as a table has
 *       one committer); commits during a run are covered by the next one.
 *   <li><b>Loses to the streaming append.</b> A compaction is an optimistic Delta commit of
 *       {@code dataChange=false} removes and adds; the append is a blind append that Kernel
 *       rebases over it, so the append never fails because of a compaction. A compaction that
 *       loses its race more than {@link MaintenanceSettings#commitRetries()} times, or conflicts
 *       with another compaction (a {@code tributary maintain} run, another job), gives the
 *       partition up and it is planned again by the next run.
 *   <li><b>Never fails the job.</b> Every failure of a run is counted and logged; the partitions
 *       are retried by the next run.
 *   <li><b>Released with the job.</b> {@link #close} (the committer's) stops the thread and waits
 *       for it; the thread is created lazily, so a committer subtask that never commits starts
 *       none.
 * </ul>
 */
public final class StreamingMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingMaintenance.class);

  /** How long {@link #close} waits for a run in progress to notice the interrupt. */
  static final long CLOSE_WAIT_MILLIS = 10_000;

  private final String tablePath;
  private final MaintenanceSettings settings;
  private final Supplier<MaintainedTable> opener;
  private final LongSupplier clock;
  private final CompactionPlanner planner;
  private final MaintenanceMetrics metrics;
  private final Map<Map<String, String>, Integer> filesPerPartition = new ConcurrentHashMap<>();
  private final Map<Map<String, String>, Small> smallPerPartition = new java.util.HashMap<>();
  private final long startMillis;

  // Guarded by this.
  private final Set<Map<String, String>> dirty = new HashSet<>();
  private List<Map<String, String>> lastCommitted = new ArrayList<>();
  private int commitsSinceRun;
  private long pendingSince;
  private long inRunSince;
  private boolean running;
  private boolean closed;
  private boolean firstRun = true;
  private boolean lastRunFailed;
  private long nextVacuumAt;
  private ThreadPoolExecutor executor;

  // Only touched by the maintenance thread.
  private MaintainedTable table;
  private volatile long maxPartitionFiles;

  /**
   * @param opener opens the table for maintenance; called once, on the maintenance thread (a
   *     second engine, so the committer's is never shared across threads)
   * @param metrics registers the metrics in this group
   */
  public StreamingMaintenance(String tablePath, MaintenanceSettings settings, Supplier<MaintainedTable> opener,
      org.apache.flink.metrics.MetricGroup metrics, LongSupplier clock) {
    this.tablePath = tablePath;
    this.settings = settings;
    this.opener = opener;
    this.clock = clock;
    this.planner = new CompactionPlanner(settings);
    this.startMillis = clock.getAsLong();
    this.nextVacuumAt = settings.vacuumInterval().isZero()
        ? Long.MAX_VALUE : startMillis + settings.vacuumInterval().toMillis();
    this.metrics = new MaintenanceMetrics(metrics, this::activePartitionFiles, () -> maxPartitionFiles,
        this::lagMillis, this::lagCommits);
  }

  /** Registers the table-level subset of the metrics in {@code tableGroup} ({@link MaintenanceMetrics#publish}); none when maintenance is off. */
  public void publishMetrics(org.apache.flink.metrics.MetricGroup tableGroup) {
    if (settings.enabled()) { // with maintenance off, its gauges would only report zeros
      metrics.publish(tableGroup);
    }
  }

  /** What one landed commit added to one partition. */
  public static final class Added {
    final int files;
    final int smallFiles;
    final long smallBytes;

    public Added(int files, int smallFiles, long smallBytes) {
      this.files = files;
      this.smallFiles = smallFiles;
      this.smallBytes = smallBytes;
    }
  }

  /** Small files of a partition: counted at the last run, plus what commits added since. */
  private static final class Small {
    int files;
    long bytes;
  }

  /**
   * Records a landed commit of the sink and starts a run when one is due: on the first commit,
   * after {@link MaintenanceSettings#commitInterval()} commits, when a partition the commits
   * touched reaches a compaction threshold, or when a vacuum is due. Cheap, never blocks, never throws.
   *
   * @param added what the commit added, per partition
   */
  public void afterCommit(Map<Map<String, String>, Added> added) {
    try {
      synchronized (this) {
        if (closed || !settings.enabled()) {
          return;
        }
        long now = clock.getAsLong();
        dirty.addAll(added.keySet());
        lastCommitted = new ArrayList<>(added.keySet());
        boolean thresholdReached = false;
        for (Map.Entry<Map<String, String>, Added> e : added.entrySet()) {
          filesPerPartition.merge(e.getKey(), e.getValue().files, Integer::sum);
          Small small = smallPerPartition.computeIfAbsent(e.getKey(), k -> new Small());
          small.files += e.getValue().smallFiles;
          small.bytes += e.getValue().smallBytes;
          thresholdReached |= small.files >= settings.minFiles()
              || (small.files >= 2 && small.bytes >= settings.minSmallBytes());
        }
        commitsSinceRun++;
        if (pendingSince == 0) {
          pendingSince = now;
        }
        // The first commit after a start triggers a run over every partition (what earlier runs left
        // is unknown). After a failed run only the commit interval triggers, so a failure is not
        // retried on every commit.
        boolean due = firstRun || commitsSinceRun >= settings.commitInterval() || (thresholdReached && !lastRunFailed)
            || now >= nextVacuumAt;
        if (!running && due) {
          startRun(now);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not schedule the maintenance of {}", tablePath, e);
    }
  }

  private void startRun(long now) {
    Run run = new Run(firstRun ? null : new HashSet<>(dirty), now >= nextVacuumAt);
    if (executor == null) {
      executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1), r -> {
        Thread t = new Thread(r, "tributary-maintenance " + tablePath);
        t.setDaemon(true);
        t.setContextClassLoader(StreamingMaintenance.class.getClassLoader());
        return t;
      });
      // An idle table holds no thread.
      executor.allowCoreThreadTimeOut(true);
    }
    try {
      executor.execute(() -> runAndRecord(run));
    } catch (RejectedExecutionException e) {
      return;
    }
    running = true;
    firstRun = false;
    dirty.clear();
    commitsSinceRun = 0;
    inRunSince = pendingSince;
    pendingSince = 0;
    if (run.vacuum) {
      nextVacuumAt = now + settings.vacuumInterval().toMillis();
    }
  }

  /** What one run does: compact the due partitions among {@code candidates} (null: all), maybe vacuum. */
  private static final class Run {
    final Set<Map<String, String>> candidates;
    final boolean vacuum;

    Run(Set<Map<String, String>> candidates, boolean vacuum) {
      this.candidates = candidates;
      this.vacuum = vacuum;
    }
  }

  private void runAndRecord(Run run) {
    Set<Map<String, String>> retry = new HashSet<>();
    boolean failed = false;
    try {
      failed = !runOnce(run, retry);
    } catch (RuntimeException | LinkageError e) {
      if (stopping()) {
        LOG.info("Maintenance of {} stopped: the job is closing", tablePath);
      } else {
        LOG.warn("Maintenance of {} failed; the next run tries again", tablePath, e);
        metrics.compactionsFailed.inc();
        failed = true;
        if (run.candidates != null) {
          retry.addAll(run.candidates);
        }
      }
    } finally {
      synchronized (this) {
        running = false;
        inRunSince = 0;
        lastRunFailed = failed;
        dirty.addAll(retry);
      }
    }
  }

  /** @return false when a compaction failed (not merely lost a race) */
  private boolean runOnce(Run run, Set<Map<String, String>> retry) {
    if (table == null) {
      table = opener.get();
    }
    metrics.runs.inc();
    Snapshot snapshot = table.snapshot();
    CompactionPlanner.Plan plan = planner.plan(ActiveFile.list(table.engine(), snapshot), run.candidates);
    refreshCounts(plan);
    boolean ok = plan.partitions().isEmpty() || compact(snapshot, plan.partitions(), retry);
    if (run.vacuum && !Thread.currentThread().isInterrupted()) {
      VacuumReport report = new Vacuum(table, settings.vacuumRetention(), false, false).run();
      metrics.vacuumRuns.inc();
      metrics.vacuumFilesDeleted.inc(report.files().size());
      LOG.info("Maintenance vacuum of {}: {}", tablePath, report);
    }
    return ok;
  }

  private boolean compact(Snapshot snapshot, List<Map<String, String>> partitions, Set<Map<String, String>> retry) {
    CompactionReport report;
    try {
      report = new Compactor(table, settings.compaction(partitions)).compact(snapshot);
    } catch (RuntimeException e) {
      if (stopping()) {
        LOG.info("Compaction of {} in {} stopped: the job is closing", partitions, tablePath);
      } else {
        LOG.warn("Compaction of {} in {} failed; the next run tries again", partitions, tablePath, e);
        metrics.compactionsFailed.inc();
        retry.addAll(partitions);
      }
      return false;
    }
    for (CompactionReport.PartitionOutcome o : report.outcomes()) {
      if (o.committed()) {
        metrics.compactionsRun.inc();
        metrics.bytesRewritten.inc(o.bytesIn());
        metrics.filesRemoved.inc(o.filesIn());
        filesPerPartition.computeIfPresent(o.partition(), (p, n) -> Math.max(0, n - o.filesIn() + o.filesOut()));
        synchronized (this) {
          Small small = smallPerPartition.get(o.partition());
          if (small != null) {
            // The output counts as small until it reaches the small-file size.
            small.files = Math.max(0, small.files - o.filesIn() + o.filesOut());
            small.bytes = Math.max(0, small.bytes - o.bytesIn() + o.bytesOut());
          }
        }
      } else {
        metrics.compactionsSkipped.inc();
        retry.add(o.partition());
      }
    }
    LOG.info("Maintenance of {}: {}", tablePath, report);
    return true;
  }

  /**
   * Counts from the run's snapshot. A commit that lands between the snapshot and this refresh is
   * dropped from the small-file counts until the next run reads it (an underestimate that at worst
   * delays a run to the commit interval).
   */
  private void refreshCounts(CompactionPlanner.Plan plan) {
    Map<Map<String, String>, Integer> counts = plan.filesPerPartition();
    filesPerPartition.keySet().retainAll(counts.keySet());
    filesPerPartition.putAll(counts);
    maxPartitionFiles = counts.values().stream().mapToLong(Integer::longValue).max().orElse(0);
    synchronized (this) {
      smallPerPartition.clear();
      plan.smallFilesPerPartition().forEach((p, n) -> {
        Small small = new Small();
        small.files = n;
        small.bytes = plan.smallBytesPerPartition().get(p);
        smallPerPartition.put(p, small);
      });
    }
  }

  /** Active files of the latest commit's partition (its largest), counted at the last run plus since. */
  public long activePartitionFiles() {
    List<Map<String, String>> partitions;
    synchronized (this) {
      partitions = lastCommitted;
    }
    return partitions.stream().mapToLong(p -> filesPerPartition.getOrDefault(p, 0)).max().orElse(0);
  }

  /** Age of the oldest commit that no finished run has covered; 0 when every commit is covered. */
  public synchronized long lagMillis() {
    long oldest = inRunSince != 0 ? inRunSince : pendingSince;
    return oldest == 0 ? 0 : Math.max(0, clock.getAsLong() - oldest);
  }

  /** Commits since the last run started. */
  public synchronized long lagCommits() {
    return commitsSinceRun;
  }

  /** Whether a run is under way (tests wait for it). */
  public synchronized boolean running() {
    return running;
  }

  /** Whether the run on this thread was stopped by {@link #close()} (not a failure to count). */
  private boolean stopping() {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    synchronized (this) {
      return closed;
    }
  }

  /** Stops the background thread: a run in progress is interrupted and awaited. Idempotent. */
  @Override
  public void close() {
    ThreadPoolExecutor toStop;
    synchronized (this) {
      closed = true;
      toStop = executor;
    }
    if (toStop == null) {
      return;
    }
    toStop.shutdownNow();
    try {
      if (!toStop.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.warn("Maintenance of {} did not stop within {} ms", tablePath, CLOSE_WAIT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
