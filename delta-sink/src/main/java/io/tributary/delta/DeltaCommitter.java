package io.tributary.delta;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.maintenance.SymlinkManifests;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only component that writes the Delta log: one commit per {@link DeltaCommittable}, in
 * checkpoint order, each carrying the transaction identifier {@code (applicationId,
 * checkpointId)}. A committable whose identifier the table already records (a replay after
 * restore, or a commit whose acknowledgement was lost) is skipped, so restores commit each
 * checkpoint exactly once.
 */
final class DeltaCommitter implements Committer<DeltaCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitter.class);

  private final DeltaSinkConfig config;
  private final Engine engine;
  private final Table table;
  private final Counter commits;
  private final Counter skipped;
  private final Counter committedRows;
  private final Counter committedFiles;
  private volatile long lastVersion = -1;
  private volatile long lastDurationMs = -1;
  private SymlinkManifests manifests;
  private final org.apache.hadoop.conf.Configuration hadoopConf;
  private ExecutorService hookExecutor;
  private static final long HOOK_TIMEOUT_MINUTES = 10;

  DeltaCommitter(DeltaSinkConfig config, MetricGroup metrics) {
    this.config = config;
    this.hadoopConf = config.hadoopConfiguration();
    // Backoff between log-write retries; an interrupt (cancellation) ends the commit.
    this.engine = new CommitRetryEngine(DeltaTables.engine(hadoopConf));
    this.table = Table.forPath(engine, config.tablePath());
    this.commits = metrics.counter("deltaCommits");
    this.skipped = metrics.counter("deltaCommitsSkippedAsReplayed");
    this.committedRows = metrics.counter("deltaRowsCommitted");
    this.committedFiles = metrics.counter("deltaFilesCommitted");
    metrics.gauge("deltaLastCommittedVersion", () -> lastVersion);
    metrics.gauge("deltaLastCommitDurationMs", () -> lastDurationMs);
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
   */
  boolean commit(DeltaCommittable c) {
    long start = System.nanoTime();
    String appId = c.applicationId();
    Optional<Long> recorded = recordedVersion(appId, c);
    if (recorded.isPresent() && recorded.get() >= c.checkpointId()) {
      LOG.info("Skipping {}: table already records checkpoint {} for this writer", c, recorded.get());
      skipped.inc();
      return false;
    }
    try {
      Transaction txn =
          table
              .createTransactionBuilder(engine, DeltaTables.ENGINE_INFO, Operation.STREAMING_UPDATE)
              .withTransactionId(engine, appId, c.checkpointId())
              .withMaxRetries(config.commitMaxRetries())
              .build(engine);
      List<Row> actions = addActions(txn, c.files());
      CloseableIterator<Row> it = io.delta.kernel.internal.util.Utils.toCloseableIterator(actions.iterator());
      TransactionCommitResult result = txn.commit(engine, CloseableIterable.inMemoryIterable(it));
      lastVersion = result.getVersion();
      lastDurationMs = (System.nanoTime() - start) / 1_000_000;
      commits.inc();
      committedRows.inc(c.numRecords());
      committedFiles.inc(c.files().size());
      LOG.info("Committed {} as version {} ({} rows) in {} ms", c, result.getVersion(), c.numRecords(), lastDurationMs);
      runHooks(result);
      updateManifests(c);
      return true;
    } catch (ConcurrentTransactionException e) {
      // Another committer (a zombie of this job) committed the same checkpoint first.
      LOG.warn("Skipping {}: committed concurrently by another committer", c);
      skipped.inc();
      return false;
    } catch (RuntimeException e) {
      throw CommitRetryEngine.restoreInterrupt(e);
    }
  }

  /**
   * The checkpoint id the table records for {@code appId}. Reading it replays the log from its
   * newest checkpoint file; an unreadable one (cut short by a cancelled hook) is removed and the
   * read retried once.
   */
  private Optional<Long> recordedVersion(String appId, DeltaCommittable c) {
    for (int attempt = 0; ; attempt++) {
      try {
        return table.getLatestSnapshot(engine).getLatestTransactionVersion(engine, appId);
      } catch (TableNotFoundException e) {
        throw new IllegalStateException(
            "Delta table " + config.tablePath() + " disappeared; cannot commit " + c, e);
      } catch (RuntimeException e) {
        if (attempt > 0 || LogCheckpointRepair.removeUnreadableCheckpoints(config.tablePath(), hadoopConf) == 0) {
          throw e;
        }
        LOG.warn("Reading {} failed on an unreadable log checkpoint, which was removed; retrying", config.tablePath(), e);
      }
    }
  }

  private List<Row> addActions(Transaction txn, List<DataFile> files) {
    Row state = txn.getTransactionState(engine);
    StructType schema = txn.getSchema(engine);
    Map<Map<String, String>, List<DataFile>> byPartition = new LinkedHashMap<>();
    for (DataFile f : files) {
      byPartition.computeIfAbsent(f.partitionValues(), k -> new ArrayList<>()).add(f);
    }
    List<Row> actions = new ArrayList<>(files.size());
    for (Map.Entry<Map<String, String>, List<DataFile>> e : byPartition.entrySet()) {
      DataWriteContext context = Transaction.getWriteContext(engine, state, literals(schema, e.getKey()));
      List<DataFileStatus> statuses = new ArrayList<>();
      for (DataFile f : e.getValue()) {
        Optional<DataFileStatistics> stats =
            f.statsJson() == null ? Optional.empty() : Optional.of(FileStatistics.fromJson(f.statsJson(), schema));
        statuses.add(new DataFileStatus(f.path(), f.size(), f.modificationTime(), stats));
      }
      try (CloseableIterator<Row> rows =
          Transaction.generateAppendActions(
              engine, state, io.delta.kernel.internal.util.Utils.toCloseableIterator(statuses.iterator()), context)) {
        rows.forEachRemaining(actions::add);
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
    }
    return actions;
  }

  /** Typed partition values, as Kernel wants them, from the strings the writer recorded. */
  static Map<String, Literal> literals(StructType schema, Map<String, String> values) {
    Map<String, Literal> out = new HashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      DataType type = schema.get(e.getKey()).getDataType();
      String v = e.getValue();
      Literal literal;
      if (v == null) {
        literal = Literal.ofNull(type);
      } else if (type instanceof DateType) {
        literal = Literal.ofDate((int) LocalDate.parse(v).toEpochDay());
      } else if (type instanceof IntegerType) {
        literal = Literal.ofInt(Integer.parseInt(v));
      } else if (type instanceof LongType) {
        literal = Literal.ofLong(Long.parseLong(v));
      } else if (type instanceof ShortType) {
        literal = Literal.ofShort(Short.parseShort(v));
      } else if (type instanceof ByteType) {
        literal = Literal.ofByte(Byte.parseByte(v));
      } else if (type instanceof BooleanType) {
        literal = Literal.ofBoolean(Boolean.parseBoolean(v));
      } else {
        literal = Literal.ofString(v);
      }
      out.put(e.getKey(), literal);
    }
    return out;
  }

  /**
   * Log checkpoints and checksums: useful, never worth failing a commit that already landed. They
   * run on a thread of their own, awaited without yielding to interrupts: Flink interrupts the
   * committer when it cancels the task, and an interrupted checkpoint write can leave a truncated
   * file that every later read of the table would trip over.
   */
  private void runHooks(TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      Future<?> run = hooks().submit(() -> {
        hook.threadSafeInvoke(engine);
        return null;
      });
      boolean interrupted = false;
      try {
        while (true) {
          try {
            run.get(HOOK_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            break;
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("Post-commit hook {} failed for version {} of {}; the commit stands", hook.getType(), result.getVersion(),
            config.tablePath(), e instanceof ExecutionException ? e.getCause() : e);
        if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT) {
          LogCheckpointRepair.removeUnreadableCheckpoints(config.tablePath(), hadoopConf);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private synchronized ExecutorService hooks() {
    if (hookExecutor == null) {
      hookExecutor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "delta-post-commit-hooks");
        t.setDaemon(true);
        return t;
      });
    }
    return hookExecutor;
  }

  /** Keeps Spectrum manifests current; a failure is logged, the commit stands. */
  private void updateManifests(DeltaCommittable c) {
    if (!config.manifestEnabled()) {
      return;
    }
    Set<Map<String, String>> partitions = new HashSet<>();
    c.files().forEach(f -> partitions.add(f.partitionValues()));
    try {
      if (manifests == null) {
        manifests = new SymlinkManifests(MaintainedTable.forSink(config, hadoopConf, engine));
      }
      manifests.update(partitions);
    } catch (RuntimeException e) {
      LOG.warn("Could not update the symlink manifests of {} after {} (run `tributary maintain manifest`)", config.tablePath(), c, e);
    }
  }

  @Override
  public synchronized void close() {
    if (hookExecutor != null) {
      hookExecutor.shutdown();
    }
  }
}
