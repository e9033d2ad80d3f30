package io.tributary.cdc.source;

import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.config.CdcJobOptions;
import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.PositionDeduplicator;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.TableName;
import io.tributary.delta.runtime.UserCodeResources;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads PostgreSQL changes with Debezium's PostgreSQL connector task (pgoutput) and emits {@link
 * SilverRow}s. Parallelism 1: one task reads the slot.
 *
 * <p><b>Positions are owned by the slot, not by Debezium offsets.</b> Debezium is never given a
 * stored offset, so its {@code WalPositionLocator} (whose filtering drops the first change after a
 * restore: FLINK-39265, DBZ-5915) never runs. After a restore the task streams from the slot's
 * {@code confirmed_flush_lsn}, which the source advances only in {@link #notifyCheckpointComplete}
 * and only to a transaction that checkpoint covers. PostgreSQL therefore re-sends every
 * transaction that might not be committed to Delta yet; {@link PositionDeduplicator} drops those
 * at or below the position its restored state holds.
 *
 * <p><b>Whole transactions.</b> Changes are buffered until their transaction's END record and
 * emitted together, each stamped with the transaction's commit (end) LSN and its index: a
 * strictly increasing position. A checkpoint barrier never splits a transaction.
 *
 * <p><b>Transactions of any size, in bounded heap.</b> The buffer ({@link TransactionBuffer})
 * keeps at most {@code cdc.transaction.buffer-memory} of a transaction's (serialized) changes in
 * heap; the rest goes to a spill file in the TaskManager's {@code io.tmp.dirs}, read back in order
 * at END. Each change is converted when it arrives with its index as {@code source_seq} and
 * stamped with the commit LSN at END, so the emitted rows, their positions and the order are the
 * same as without spilling. The position protocol is unchanged: rows are emitted only at END, under
 * the checkpoint lock, and the slot is confirmed only past transactions a completed checkpoint
 * covers. Checkpoints taken while a transaction is being buffered record the position before it,
 * so after a failure or restore mid-transaction PostgreSQL sends the whole transaction again and
 * the buffer starts empty; the spill file of the failed attempt is deleted when the source closes
 * (after a killed process, it is left in a tmp directory that a new container does not have).
 *
 * <p><b>Initial snapshot.</b> A job started without state drops a leftover slot of the same name,
 * lets Debezium create it with an exported snapshot and reads the tables in that snapshot while
 * holding the checkpoint lock: no checkpoint can complete mid-snapshot, so a failure during the
 * snapshot restarts it from scratch with nothing committed.
 *
 * <p><b>Re-snapshots keep the current state right.</b> Before a new snapshot the source reads the
 * keys each silver table currently shows ({@link SilverCurrentKeys}); a key the snapshot does not
 * have was deleted while no job read the slot, and gets a delete row at the snapshot's position,
 * after its rows and before any streamed change. So {@code <table>_current} equals the
 * PostgreSQL table again once the snapshot is committed.
 *
 * <p><b>Restores from an older snapshot are refused.</b> Each checkpoint also records the slot
 * position it lets the slot advance to (its <em>flush bound</em>). The slot never passes the bound
 * of the latest completed checkpoint, so a restored job that finds the slot's {@code
 * confirmed_flush_lsn} past its restored bound was restored from an older checkpoint or savepoint
 * (e.g. Managed Flink's rollback): the changes in between cannot be read again. It stops with a
 * {@link SlotAheadOfStateException} unless {@code cdc.restore.accept-slot-ahead} is set.
 */
public final class PostgresCdcSource extends RichSourceFunction<SilverRow>
    implements CheckpointedFunction, CheckpointListener {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PostgresCdcSource.class);

  /** How often the slot's lag is measured (see {@link SlotLagGauge}); CloudWatch keeps one point a minute. */
  private static final long SLOT_LAG_INTERVAL_MS = 30_000;

  private final CdcJobConfig config;

  private transient ListState<Boolean> snapshotDoneState;
  private transient ListState<Long> flushBoundState;
  private transient boolean snapshotDone;
  /** The flush bound restored from state (null: none, e.g. state of an older version); see class doc. */
  private transient Long restoredFlushBound;
  /** The flush bound while no committable record has been seen in this run; guarded by the checkpoint lock. */
  private transient Long flushBound;
  private transient volatile boolean running;
  private transient volatile PostgresConnectorTask task;
  private transient OffsetsContext taskContext;
  private transient SchemaTracker schemas;
  /** The latest record whose offset covers only emitted transactions; guarded by the checkpoint lock. */
  private transient SourceRecord lastCommittable;
  /** Committable record per pending checkpoint; guarded by the checkpoint lock. */
  private transient TreeMap<Long, SourceRecord> pendingCommits;
  private transient volatile long completedCheckpoint;
  /** The open transaction's changes (converted, not yet stamped with the commit LSN). */
  private transient TransactionBuffer transaction;
  /** Index of the next change of the open transaction: its {@code source_seq}. */
  private transient long transactionSeq;
  /** Whether a change of an open transaction has arrived (also one that makes no row, e.g. a truncate). */
  private transient boolean transactionOpen;
  private transient long snapshotSeq;
  /** Per table, the keys its silver table showed before this snapshot and the snapshot has not (yet) read. */
  private transient Map<TableName, java.util.Set<SilverCurrentKeys.Key>> staleKeys;
  /** The position of this run's snapshot rows (the slot's consistent point); 0 while unknown. */
  private transient long snapshotLsn;
  /**
   * After an accepted rollback, per table: its changes committed at or before this LSN are already
   * in its silver table (the slot's position, or the table's newest row when the sinks committed
   * past what the slot confirmed before the stop), so they are skipped. Empty otherwise.
   */
  private transient Map<TableName, Long> acceptedUpTo;

  public PostgresCdcSource(CdcJobConfig config) {
    this.config = config;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    snapshotDoneState =
        context.getOperatorStateStore().getListState(new ListStateDescriptor<>("snapshot-done", Types.BOOLEAN));
    flushBoundState =
        context.getOperatorStateStore().getListState(new ListStateDescriptor<>("slot-flush-bound", Types.LONG));
    snapshotDone = false;
    restoredFlushBound = null;
    if (context.isRestored()) {
      for (Boolean b : snapshotDoneState.get()) {
        snapshotDone |= b;
      }
      for (Long bound : flushBoundState.get()) {
        if (bound != null && (restoredFlushBound == null || Long.compareUnsigned(bound, restoredFlushBound) > 0)) {
          restoredFlushBound = bound;
        }
      }
    }
    flushBound = snapshotDone ? restoredFlushBound : null;
    pendingCommits = new TreeMap<>();
    completedCheckpoint = Long.MIN_VALUE;
    transactionSeq = 0;
    transactionOpen = false;
  }

  @Override
  public void run(SourceContext<SilverRow> ctx) throws Exception {
    // pgjdbc, Debezium and Kafka Connect must not outlive the job's class loader.
    UserCodeResources.releaseWith(getRuntimeContext());
    running = true;
    Object lock = ctx.getCheckpointLock();
    transaction = new TransactionBuffer(config.transactionBufferBytes(), spillDirectories(), config.slotName());
    try (Connection jdbc = ReplicationAdmin.connect(config)) {
      schemas = new SchemaTracker(config, jdbc);
      if (snapshotDone && !ReplicationAdmin.slotExists(jdbc, config.slotName())) {
        // Debezium would quietly create a new slot at the current WAL position: changes since
        // the last checkpoint would be lost. Refuse instead.
        throw new IllegalStateException("Replication slot " + config.slotName() + " no longer exists, so the changes "
            + "since the restored checkpoint are gone; start the job without state (new snapshot) to recover");
      }
      long accepted = snapshotDone ? checkSlotNotAhead(jdbc) : 0L;
      // With the rollback accepted, the silver tables may hold changes past the restored state even
      // when the slot is not past it (the slot is confirmed only after a checkpoint completes, so a
      // later run can commit to Delta what it never confirmed): skip what each table already holds.
      acceptedUpTo = snapshotDone && config.acceptSlotAhead() ? silverHighWaters(accepted) : Map.of();
      if (accepted != 0) {
        synchronized (lock) {
          flushBound = accepted; // where the slot stands: the next restore compares with it
        }
      }
      if (!snapshotDone) {
        // No state: whatever the slot holds is not ours to resume from. Snapshot afresh.
        if (ReplicationAdmin.dropSlot(jdbc, config.slotName(), 60_000)) {
          LOG.warn("Job started without state: dropped the existing slot {} and takes a new snapshot", config.slotName());
        }
        staleKeys = readCurrentKeys();
      }
      LOG.info("Starting Debezium for {} ({}), slot {}", config.tables(),
          snapshotDone ? "streaming from the slot's confirmed position " + ReplicationAdmin.slotPosition(jdbc, config.slotName())
              : "initial snapshot", config.slotName());
      task = startTask(DebeziumSettings.forSource(config, config.tables(), !snapshotDone));
      if (flushBound == null) {
        // A new slot (Debezium created it in start()) or state without a bound: the slot's
        // position now is where it stands until this run's first checkpoint flushes it.
        java.util.OptionalLong position = ReplicationAdmin.confirmedFlushLsn(jdbc, config.slotName());
        synchronized (lock) {
          flushBound = position.isPresent() ? position.getAsLong() : null;
        }
      }
      SlotLagGauge slotLag = new SlotLagGauge(getRuntimeContext().getMetricGroup(), config.slotName(),
          SLOT_LAG_INTERVAL_MS, System::currentTimeMillis);
      if (!snapshotDone) {
        synchronized (lock) {
          while (running && !snapshotDone) {
            handleAll(task.poll(), ctx);
          }
        }
        LOG.info("Initial snapshot done: {} rows", snapshotSeq);
      }
      while (running) {
        commitCompletedCheckpoints(lock);
        slotLag.refresh(jdbc);
        List<SourceRecord> records = task.poll();
        if (records != null && !records.isEmpty()) {
          synchronized (lock) {
            handleAll(records, ctx);
          }
        }
      }
    } finally {
      stopTask();
      closeTransaction();
    }
  }

  /** The TaskManager's local tmp directories ({@code io.tmp.dirs}). */
  private java.io.File[] spillDirectories() {
    String[] dirs = ((org.apache.flink.streaming.api.operators.StreamingRuntimeContext) getRuntimeContext())
        .getTaskManagerRuntimeInfo().getTmpDirectories();
    java.io.File[] out = new java.io.File[dirs.length];
    for (int i = 0; i < dirs.length; i++) {
      out[i] = new java.io.File(dirs[i]);
    }
    return out;
  }

  /** Drops the open transaction's buffer and its spill file (it is read from the slot again after a restart). */
  private synchronized void closeTransaction() {
    TransactionBuffer t = transaction;
    if (t == null) {
      return;
    }
    try {
      t.close();
    } catch (java.io.IOException e) {
      LOG.warn("Could not delete the spill file of the open transaction", e);
    }
  }

  /**
   * Per table, the position up to which its silver table already holds the changes after an
   * accepted rollback: the slot's position (0 when it is not past the restored state), or the
   * table's newest commit LSN when that is later. A silver table holds a prefix of its table's
   * changes (whole transactions, in commit order), so everything up to its newest row is there.
   */
  private Map<TableName, Long> silverHighWaters(long slot) {
    Map<TableName, Long> out = new HashMap<>();
    for (TableName t : config.tables()) {
      io.tributary.delta.DeltaSinkConfig sink = sinkConfig(t);
      long newest = SilverCurrentKeys.newestCommitLsn(sink.tablePath(), sink.hadoopConfiguration());
      long upTo = Long.compareUnsigned(newest, slot) > 0 ? newest : slot;
      LOG.warn("Accepted rollback: changes of {} committed at or before {} are skipped (slot at {}, newest in the silver "
          + "table {})", t, Lsns.format(upTo), Lsns.format(slot), Lsns.format(newest));
      out.put(t, upTo);
    }
    return out;
  }

  /** The Delta sink configuration of {@code table}'s silver table (for reading it). */
  private io.tributary.delta.DeltaSinkConfig sinkConfig(TableName table) {
    return config.sinkConfig(table);
  }

  /** The keys every silver table shows now (tables that cannot be reconciled are left out, with a warning). */
  private Map<TableName, java.util.Set<SilverCurrentKeys.Key>> readCurrentKeys() {
    Map<TableName, java.util.Set<SilverCurrentKeys.Key>> out = new HashMap<>();
    for (TableName t : config.tables()) {
      io.tributary.delta.DeltaSinkConfig sink = sinkConfig(t);
      List<String> why = new ArrayList<>();
      long start = System.nanoTime();
      java.util.Set<SilverCurrentKeys.Key> keys =
          SilverCurrentKeys.read(sink.tablePath(), sink.hadoopConfiguration(), schemas.schema(t), why);
      if (!why.isEmpty()) {
        LOG.warn("The new snapshot of {} cannot write deletes for rows deleted since the last run ({}): its current "
            + "state may keep them", t, String.join("; ", why));
        continue;
      }
      LOG.info("{} currently shows {} keys (read in {} ms); those the new snapshot lacks get a delete", t, keys.size(),
          (System.nanoTime() - start) / 1_000_000);
      out.put(t, keys);
    }
    return out;
  }

  /**
   * Ends the initial snapshot (once): writes a delete for every key the silver tables showed and
   * the snapshot did not read, positioned after the snapshot's rows and before any streamed change.
   */
  private void endSnapshot(SourceContext<SilverRow> ctx) {
    if (snapshotDone) {
      return;
    }
    snapshotDone = true;
    if (staleKeys == null) {
      return;
    }
    long lsn = snapshotLsn != 0 ? snapshotLsn : (flushBound == null ? 0L : flushBound);
    long now = System.currentTimeMillis();
    for (Map.Entry<TableName, java.util.Set<SilverCurrentKeys.Key>> e : staleKeys.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      if (lsn == 0) {
        throw new IllegalStateException("No snapshot position known for the deletes of " + e.getKey());
      }
      for (SilverCurrentKeys.Key key : e.getValue()) {
        ctx.collect(schemas.snapshotDelete(e.getKey(), key.values(), lsn, snapshotSeq++, now));
      }
      LOG.info("New snapshot: {} keys of {} are gone from PostgreSQL; wrote a delete for each", e.getValue().size(), e.getKey());
    }
    staleKeys = null;
  }

  /**
   * Refuses a restore from state older than the slot (see class doc), unless the operator accepted
   * it with {@code cdc.restore.accept-slot-ahead}.
   *
   * @return the slot position the operator accepted as already in the silver tables, or 0 when the
   *     restored state is not behind the slot
   */
  private long checkSlotNotAhead(Connection jdbc) throws java.sql.SQLException {
    java.util.OptionalLong slot = ReplicationAdmin.confirmedFlushLsn(jdbc, config.slotName());
    if (restoredFlushBound == null) {
      LOG.warn("Restored state records no slot flush bound (written by an older version): cannot check that it is "
          + "not older than slot {}", config.slotName());
      return 0L;
    }
    if (!slot.isPresent() || Long.compareUnsigned(slot.getAsLong(), restoredFlushBound) <= 0) {
      return 0L;
    }
    SlotAheadOfStateException e = new SlotAheadOfStateException(config.slotName(), slot.getAsLong(), restoredFlushBound);
    if (!config.acceptSlotAhead()) {
      throw e;
    }
    LOG.warn("{} Continuing because {} is true: changes up to {} are taken as already in the silver tables",
        e.getMessage(), CdcJobOptions.RESTORE_ACCEPT_SLOT_AHEAD.key(), Lsns.format(slot.getAsLong()));
    return slot.getAsLong();
  }

  private PostgresConnectorTask startTask(Map<String, String> props) {
    PostgresConnectorTask t = new PostgresConnectorTask();
    taskContext = new OffsetsContext(props);
    t.initialize(taskContext);
    t.start(props);
    return t;
  }

  private void handleAll(List<SourceRecord> records, SourceContext<SilverRow> ctx) throws Exception {
    if (records == null) {
      return;
    }
    for (SourceRecord r : records) {
      handle(r, ctx);
    }
  }

  private void handle(SourceRecord record, SourceContext<SilverRow> ctx) throws Exception {
    String topic = record.topic();
    Object value = record.value();
    if (DebeziumSettings.TRANSACTION_TOPIC.equals(topic)) {
      endSnapshot(ctx);
      Struct v = (Struct) value;
      if ("END".equals(v.getString("status")) && transactionOpen) {
        emitTransaction(commitLsn(record), ctx);
      }
      if (!transactionOpen) {
        lastCommittable = record;
      }
      return;
    }
    if (!(value instanceof Struct) || ((Struct) value).schema().field("op") == null
        || DebeziumSettings.MESSAGE_TOPIC.equals(topic) || "m".equals(((Struct) value).getString("op"))) {
      // Heartbeats and (non-transactional) logical decoding messages: positions only. The
      // heartbeat query's message is what lets an idle slot advance.
      if (!transactionOpen && !isSnapshotOffset(record)) {
        endSnapshot(ctx);
        lastCommittable = record;
      }
      return;
    }
    Struct envelope = (Struct) value;
    Struct source = envelope.getStruct("source");
    String snapshot = source.schema().field("snapshot") == null ? null : source.getString("snapshot");
    boolean snapshotRecord = snapshot != null && !"false".equals(snapshot) && !snapshotDone;
    if (snapshotRecord) {
      Long lsn = (Long) source.get("lsn");
      if (lsn != null) {
        snapshotLsn = lsn;
      }
      SilverRow row = schemas.convert(tableOf(source), envelope, lsn == null ? 0L : lsn, snapshotSeq++, System.currentTimeMillis());
      if (row != null) {
        ctx.collect(row);
        java.util.Set<SilverCurrentKeys.Key> stale = staleKeys == null ? null : staleKeys.get(row.table());
        if (stale != null) {
          stale.remove(SilverCurrentKeys.Key.of(row));
        }
      }
      if ("last".equals(snapshot)) {
        endSnapshot(ctx);
      }
      return;
    }
    endSnapshot(ctx);
    // Converted now (the commit LSN is stamped at END), so that the buffer holds rows it can spill.
    SilverRow row = schemas.convert(tableOf(source), envelope, 0L, transactionSeq++, System.currentTimeMillis());
    if (row != null) {
      long spilledBefore = transaction.spillsStarted();
      transaction.add(row);
      if (transaction.spillsStarted() != spilledBefore) {
        LOG.info("Transaction {} passed {} bytes in memory: spilling its changes to {}", source.get("txId"),
            config.transactionBufferBytes(), transaction.spillFile());
      }
    }
    transactionOpen = true;
  }

  private void emitTransaction(long commitLsn, SourceContext<SilverRow> ctx) throws Exception {
    long now = System.currentTimeMillis();
    long rows = transaction.size();
    long spilled = transaction.spilledBytes();
    if (!acceptedUpTo.isEmpty()) {
      long[] skipped = {0};
      transaction.drain(row -> {
        Long upTo = acceptedUpTo.get(row.table());
        if (upTo != null && Long.compareUnsigned(commitLsn, upTo) <= 0) {
          skipped[0]++;
        } else {
          ctx.collect(schemas.atCommit(row, commitLsn, now));
        }
      });
      if (skipped[0] > 0) {
        LOG.info("Skipped {} of {} changes of the transaction committed at {}: their silver tables already hold them "
            + "(accepted rollback)", skipped[0], rows, Lsns.format(commitLsn));
      }
    } else {
      transaction.drain(row -> ctx.collect(schemas.atCommit(row, commitLsn, now)));
    }
    if (spilled > 0) {
      LOG.info("Emitted a transaction of {} changes at {}, {} bytes of them from the spill file", rows,
          Lsns.format(commitLsn), spilled);
    }
    transactionOpen = false;
    transactionSeq = 0;
  }

  private static TableName tableOf(Struct source) {
    return new TableName(source.getString("schema"), source.getString("table"));
  }

  private static boolean isSnapshotOffset(SourceRecord record) {
    Map<String, ?> offset = record.sourceOffset();
    return offset != null && Boolean.TRUE.equals(offset.get("snapshot"));
  }

  private static long commitLsn(SourceRecord end) {
    Map<String, ?> offset = end.sourceOffset();
    Object lsn = offset.get("lsn_commit");
    if (lsn == null) {
      lsn = offset.get("lsn");
    }
    if (lsn == null) {
      throw new IllegalStateException("Transaction END record without an LSN: " + offset);
    }
    return ((Number) lsn).longValue();
  }

  /**
   * The LSN Debezium flushes to the slot for {@code offset} (its {@code commitOffset}): the last
   * commit LSN, else the last completely processed LSN; 0 when the offset has neither.
   */
  static long flushLsn(Map<String, ?> offset) {
    Object lsn = offset == null ? null : offset.get("lsn_commit");
    if (lsn == null && offset != null) {
      lsn = offset.get("lsn_proc");
    }
    return lsn == null ? 0L : ((Number) lsn).longValue();
  }

  /**
   * How far committing {@code offset} can move the slot: Debezium flushes its {@code lsn_commit},
   * else its {@code lsn_proc}, else nothing (a snapshot record's offset has neither), and then the
   * slot stays at {@code unchanged}.
   */
  static Long flushBound(Map<String, ?> offset, Long unchanged) {
    long lsn = flushLsn(offset);
    return lsn != 0 ? Long.valueOf(lsn) : unchanged;
  }

  /** Flushes the slot to the newest completed checkpoint's position (on this thread: Debezium's task is not thread-safe). */
  private void commitCompletedCheckpoints(Object lock) throws InterruptedException {
    SourceRecord toCommit = null;
    synchronized (lock) {
      long done = completedCheckpoint;
      while (!pendingCommits.isEmpty() && pendingCommits.firstKey() <= done) {
        SourceRecord r = pendingCommits.pollFirstEntry().getValue();
        if (r != null) {
          toCommit = r;
        }
      }
    }
    if (toCommit != null) {
      // The Postgres task's commit() flushes whatever offset its reader returns: expose the
      // checkpoint's offset for exactly this call, so that a (re)start never sees one.
      taskContext.committable = new HashMap<>(toCommit.sourceOffset());
      try {
        task.commit();
      } finally {
        taskContext.committable = null;
      }
      LOG.debug("Confirmed slot position {}", toCommit.sourceOffset());
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    // Called under the checkpoint lock, so never mid-transaction, and never mid-snapshot while the
    // source thread runs. If the thread died mid-snapshot, refuse: a checkpoint holding part of
    // the snapshot would duplicate it when the restored job snapshots again.
    if (!snapshotDone && snapshotSeq > 0) {
      throw new IllegalStateException("Initial snapshot incomplete (" + snapshotSeq + " rows); no checkpoint until it is done");
    }
    snapshotDoneState.update(Collections.singletonList(snapshotDone));
    Long bound = flushBound(lastCommittable == null ? null : lastCommittable.sourceOffset(), flushBound);
    flushBoundState.update(bound == null ? Collections.emptyList() : Collections.singletonList(bound));
    pendingCommits.put(context.getCheckpointId(), lastCommittable);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    if (checkpointId > completedCheckpoint) {
      completedCheckpoint = checkpointId;
    }
  }

  @Override
  public void cancel() {
    running = false;
  }

  @Override
  public void close() throws Exception {
    running = false;
    stopTask();
    super.close();
  }

  /**
   * Stops the Debezium task on a thread of its own: Flink interrupts the source thread on
   * cancellation, and an interrupted stop leaves the replication connection open, which would
   * keep the slot busy for the next attempt of this job.
   */
  private synchronized void stopTask() {
    PostgresConnectorTask t = task;
    task = null;
    if (t == null) {
      return;
    }
    Thread stopper = new Thread(() -> {
      try {
        t.stop();
      } catch (RuntimeException e) {
        LOG.warn("Stopping the Debezium task failed", e);
      }
    }, "tributary-cdc-stop-" + config.slotName());
    stopper.setDaemon(true);
    stopper.start();
    boolean interrupted = false;
    long deadline = System.currentTimeMillis() + 60_000;
    while (stopper.isAlive() && System.currentTimeMillis() < deadline) {
      try {
        stopper.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        interrupted = true; // finish stopping first; re-assert below
      }
    }
    if (stopper.isAlive()) {
      LOG.warn("The Debezium task did not stop within 60 s");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Debezium task context whose offset reader is empty, so the task always starts from the slot
   * (see class doc), except during {@link #commitCompletedCheckpoints}: there it returns the offset
   * to flush to the slot.
   */
  private static final class OffsetsContext implements SourceTaskContext {
    private final Map<String, String> configs;
    volatile Map<String, Object> committable;

    OffsetsContext(Map<String, String> configs) {
      this.configs = configs;
    }

    @Override
    public Map<String, String> configs() {
      return configs;
    }

    @Override
    public OffsetStorageReader offsetStorageReader() {
      return new OffsetStorageReader() {
        @Override
        public <T> Map<String, Object> offset(Map<String, T> partition) {
          return committable;
        }

        @Override
        public <T> Map<Map<String, T>, Map<String, Object>> offsets(java.util.Collection<Map<String, T>> partitions) {
          Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
          Map<String, Object> offset = committable;
          if (offset != null) {
            for (Map<String, T> p : partitions) {
              out.put(p, offset);
            }
          }
          return out;
        }
      };
    }
  }
}
