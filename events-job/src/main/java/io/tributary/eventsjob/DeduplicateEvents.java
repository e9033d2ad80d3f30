package io.tributary.eventsjob;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupStatePartitionStreamProvider;
import org.apache.flink.runtime.state.KeyedStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;

/**
 * Parses, routes and deduplicates events by {@code event_id} on the records' <b>Kinesis arrival
 * time</b> (the approximate arrival timestamp, the {@code ingest_timestamp} column), not on
 * processing time. Input: {@link IdentifiedRecord}s keyed by their {@link EventIdKey} ({@link
 * IdentifyEvents}), so the keyBy moves payload bytes and each record is parsed once, here, where
 * its id's state lives. Main output: {@link AtomicEventsTable} rows; side output {@link
 * RouteEvents#QUARANTINE}: rejected records ({@link EventMapper}, as {@link RouteEvents} does) and
 * conflicting duplicates.
 *
 * <p>Two scopes ({@link DedupScope}): keyed by the event id ({@link DedupScope#STREAM}: all copies
 * of an id reach one subtask, wherever they arrived), or keyed by the record's shard ({@link
 * DedupScope#SHARD}: chained to the source without an exchange, {@link ShardKeys}; copies of an id
 * on one shard reach one subtask). Either way the id's entry lives in the table of the current
 * key group, so it moves with its key group when the job is rescaled.
 *
 * <p>Contract, for copies of one {@code event_id} reaching one subtask:
 *
 * <ul>
 *   <li>The first copy is written. A later copy whose arrival time is less than {@code window}
 *       from the first's is a duplicate: if its payload bytes are identical (same {@link
 *       PayloadFingerprint}) it is dropped and counted ({@value #DUPLICATES}); otherwise it is a
 *       different event reusing the id and goes to the quarantine table as {@link
 *       QuarantineTable#CONFLICTING_DUPLICATE} with its raw payload, counted ({@value #CONFLICTS}).
 *   <li>A copy that arrived more than {@code window + window/64} after the first is written again
 *       and becomes the new first. (Arrival times are kept in buckets of {@code window/64}; between
 *       the two bounds either may happen.)
 *   <li>Since the window runs on arrival time, time spent stopped, failing or catching up does not
 *       count: two copies of a retried record that arrived seconds apart are one event however
 *       long the job was down between reading them.
 * </ul>
 *
 * <p>Memory: an id is remembered until this subtask's clock (the latest arrival time it has seen)
 * is more than {@code 2 × window} past the id's first arrival. The extra window covers shards read
 * with different lags (say one catching up a backlog): a subtask's clock runs at its most advanced
 * shard, and ids of a shard lagging by more than one window behind it are forgotten early. The ids
 * live in {@link SeenIds} tables per key group (28-35 heap bytes per id, no object per id),
 * not in Flink's keyed state backend, whatever backend the job uses; they are written to
 * checkpoints and savepoints as raw keyed state, per key group, so the guarantee holds across
 * failures, restores and rescaling. The snapshot is a synchronous, full copy of the ids.
 *
 * <p>Metrics: {@link RoutingCounters}, {@value #DUPLICATES}, {@value #CONFLICTS} (counters; the
 * latter also in the {@value RouteEvents#MANAGED_FLINK_GROUP} group for CloudWatch), {@value
 * #IDS_HELD} (gauge), {@value #KEY_MISMATCHES} (counter; never above 0 unless the id scan and the
 * parser disagree, a bug: such an event is quarantined as {@link QuarantineTable#PROCESSING_ERROR}
 * rather than deduplicated under the wrong key).
 */
public final class DeduplicateEvents extends AbstractStreamOperator<RowData>
    implements OneInputStreamOperator<IdentifiedRecord, RowData> {
  private static final long serialVersionUID = 3L;

  public static final String DUPLICATES = "duplicateEventsDropped";
  public static final String CONFLICTS = "conflictingDuplicatesQuarantined";
  public static final String IDS_HELD = "dedupIdsHeld";
  public static final String KEY_MISMATCHES = "eventIdKeyMismatches";

  /** Buckets per window: the precision of the window's end. */
  static final int BUCKETS_PER_WINDOW = 64;
  private static final int FORMAT_VERSION = 1;

  private final long windowMillis;
  private final long bucketMillis;
  private final long windowBuckets;
  /** Ids older than this many buckets before the clock are forgotten. */
  private final long retainBuckets;
  private final int maxPayloadBytes;
  private final EventTimePolicy eventTime;
  private final DedupScope scope;

  private transient SeenIds[] tables;
  private transient AbstractKeyedStateBackend<?> backend;
  private transient int firstKeyGroup;
  /** The largest arrival bucket seen (absolute), or Long.MIN_VALUE before any. */
  private transient long clock;
  private transient long lastSweep;
  private transient EventMapper mapper;
  private transient RoutingCounters routing;
  private transient Counter duplicates;
  private transient Counter conflicts;
  private transient Counter keyMismatches;

  /** Keyed by event id, accepting every event timestamp and payloads up to the contract's default size. */
  public DeduplicateEvents(Duration window) {
    this(window, io.tributary.events.WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES, EventTimePolicy.NONE, DedupScope.STREAM);
  }

  /**
   * @param window copies arriving within it of the first are duplicates
   * @param maxPayloadBytes larger payloads are quarantined
   * @param eventTime valid events whose timestamp is outside it are quarantined
   * @param scope what the input is keyed by: {@link IdentifiedRecord#key()} ({@link
   *     DedupScope#STREAM}) or {@link ShardKeys.Selector} ({@link DedupScope#SHARD})
   */
  public DeduplicateEvents(Duration window, int maxPayloadBytes, EventTimePolicy eventTime, DedupScope scope) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.eventTime = eventTime;
    this.scope = java.util.Objects.requireNonNull(scope);
    // Chained to the source when keyed by shard (an AbstractStreamOperator starts its own chain by default).
    this.chainingStrategy = org.apache.flink.streaming.api.operators.ChainingStrategy.ALWAYS;
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("dedup window must be positive: " + window);
    }
    this.windowMillis = window.toMillis();
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS_PER_WINDOW);
    this.windowBuckets = ceilDiv(windowMillis, bucketMillis);
    this.retainBuckets = 2 * windowBuckets + 1;
    if (retainBuckets >= 1L << (SeenIds.BUCKET_BITS - 2)) {
      throw new IllegalArgumentException("dedup window too long for its bucket precision: " + window);
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Raw keyed state is this operator's own; Flink must not write timers into it. */
  @Override
  protected boolean isUsingCustomRawKeyedState() {
    return true;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    backend = (AbstractKeyedStateBackend<?>) getKeyedStateBackend();
    KeyGroupRange range = backend.getKeyGroupRange();
    firstKeyGroup = range.getStartKeyGroup();
    tables = new SeenIds[range.getNumberOfKeyGroups()];
    clock = Long.MIN_VALUE;
    if (context.isRestored()) {
      for (KeyGroupStatePartitionStreamProvider group : context.getRawKeyedStateInputs()) {
        restore(group);
      }
    }
    lastSweep = clock;
  }

  private void restore(KeyGroupStatePartitionStreamProvider group) throws IOException {
    DataInputViewStreamWrapper in = new DataInputViewStreamWrapper(group.getStream());
    int version = in.readInt();
    if (version != FORMAT_VERSION) {
      throw new IOException("dedup state of key group " + group.getKeyGroupId() + " has unknown format " + version);
    }
    long oldBucketMillis = in.readLong();
    long oldClock = in.readLong();
    if (oldClock == Long.MIN_VALUE) {
      in.readInt(); // no ids
      return;
    }
    long groupClock = Math.floorDiv(oldClock * oldBucketMillis, bucketMillis);
    clock = Math.max(clock, groupClock);
    // A changed window changes the bucket size: map each bucket through its arrival time.
    table(group.getKeyGroupId())
        .read(in, meta -> {
          if (oldBucketMillis == bucketMillis) {
            return meta;
          }
          long arrivalBucket = oldClock - SeenIds.age(oldClock, meta);
          long bucket = Math.floorDiv(arrivalBucket * oldBucketMillis, bucketMillis);
          return (meta & ~((1L << SeenIds.BUCKET_BITS) - 1)) | (bucket & ((1L << SeenIds.BUCKET_BITS) - 1));
        });
  }

  @Override
  public void open() throws Exception {
    super.open();
    mapper = new EventMapper(maxPayloadBytes, eventTime);
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    routing = new RoutingCounters(metrics);
    keyMismatches = metrics.counter(KEY_MISMATCHES);
    duplicates = metrics.counter(DUPLICATES);
    conflicts = metrics.counter(CONFLICTS);
    metrics.addGroup(RouteEvents.MANAGED_FLINK_GROUP).counter(CONFLICTS, conflicts);
    metrics.gauge(IDS_HELD, this::idsHeld);
  }

  private SeenIds table(int keyGroup) {
    int i = keyGroup - firstKeyGroup;
    SeenIds t = tables[i];
    if (t == null) {
      t = new SeenIds();
      tables[i] = t;
    }
    return t;
  }

  /** Ids remembered by this subtask. */
  long idsHeld() {
    long n = 0;
    for (SeenIds t : tables) {
      n += t == null ? 0 : t.size();
    }
    return n;
  }

  /** Heap bytes of this subtask's id tables. */
  long tableBytes() {
    long n = 0;
    for (SeenIds t : tables) {
      n += t == null ? 0 : t.slotBytes();
    }
    return n;
  }

  @Override
  public void processElement(StreamRecord<IdentifiedRecord> element) throws Exception {
    KinesisRecord record = element.getValue().record();
    Instant now = Instant.now();
    MappedRecord mapped = mapper.map(record, now);
    routing.count(mapped);
    if (!mapped.isEvent()) {
      output.collect(RouteEvents.QUARANTINE, element.replace(mapped.row()));
      return;
    }
    EventIdKey key = EventIdKey.of(mapped.row().getString(AtomicEventsTable.EVENT_ID));
    // Keyed by event id, the record came here under the key the id scan found: it must be this one.
    if (scope == DedupScope.STREAM && !key.equals(element.getValue().key())) {
      key = element.getValue().key();
      keyMismatches.inc();
      output.collect(RouteEvents.QUARANTINE, element.replace(QuarantineTable.toRow(record, QuarantineTable.PROCESSING_ERROR,
          "event_id", "the event id scan found another id than the parser (key " + key + "): a bug, please report it", now)));
      return;
    }
    long arrival = record.getApproximateArrivalMillis();
    long bucket = Math.floorDiv(arrival, bucketMillis);
    advanceClock(bucket);
    long fingerprint = PayloadFingerprint.of(record.getPayload());
    SeenIds table = table(backend.getCurrentKeyGroupIndex()); // computed by Flink for the current key
    long high = key.bitsHigh();
    long low = key.bitsLow();
    int slot = table.find(high, low);
    if (slot >= 0) {
      long meta = table.metaAt(slot);
      if (Math.abs(SeenIds.age(bucket, meta)) <= windowBuckets) {
        if (SeenIds.sameFingerprint(meta, fingerprint)) {
          duplicates.inc();
        } else {
          conflicts.inc();
          output.collect(RouteEvents.QUARANTINE, element.replace(conflictRow(record, key, now)));
        }
        return;
      }
      table.setMetaAt(slot, SeenIds.meta(fingerprint, bucket)); // the first sighting expired
    } else {
      table.insert(-slot - 1, high, low, SeenIds.meta(fingerprint, bucket));
    }
    output.collect(element.replace(mapped.row()));
  }

  /**
   * Flink refuses a key outside this subtask's key groups (the backend's key context checks every
   * key); per shard that means the source read a shard another subtask owns, so say that instead
   * of Flink's bare key-context error. Nothing is ever deduplicated against the wrong ids.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public void setKeyContextElement1(StreamRecord record) throws Exception {
    try {
      super.setKeyContextElement1(record);
    } catch (RuntimeException e) {
      if (scope != DedupScope.SHARD) {
        throw e;
      }
      KinesisRecord r = ((IdentifiedRecord) record.getValue()).record();
      throw new IllegalStateException("A record of shard " + r.getShardId() + " reached dedup subtask "
          + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() + ", which owns key groups " + firstKeyGroup
          + ".." + (firstKeyGroup + tables.length - 1) + ": with events.dedup-scope=" + scope
          + " the Kinesis source must assign shards with ShardIdAssigner.alignedWithShardKeys() and run at the"
          + " dedup's parallelism", e);
    }
  }

  /** Moves the clock to {@code bucket} if later; sweeps expired ids every 1/8 window of arrival time. */
  private void advanceClock(long bucket) {
    if (bucket <= clock) {
      return;
    }
    if (clock != Long.MIN_VALUE && bucket - clock >= 1L << (SeenIds.BUCKET_BITS - 2)) {
      // A jump this long (e.g. after a long stop) expires every id; clear them before bucket
      // differences could wrap around.
      for (int i = 0; i < tables.length; i++) {
        tables[i] = null;
      }
    }
    clock = bucket;
    if (lastSweep == Long.MIN_VALUE) {
      lastSweep = clock;
    } else if (clock - lastSweep >= Math.max(1, windowBuckets / 8)) {
      for (SeenIds t : tables) {
        if (t != null) {
          t.sweep(clock, retainBuckets);
        }
      }
      lastSweep = clock;
    }
  }

  private static RowData conflictRow(KinesisRecord record, EventIdKey key, Instant now) {
    return QuarantineTable.toRow(
        record,
        QuarantineTable.CONFLICTING_DUPLICATE,
        "event_id",
        "event_id " + key + " was already written with a different payload that arrived within the dedup window",
        now);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    KeyedStateCheckpointOutputStream out = context.getRawKeyedOperatorStateOutput();
    DataOutputViewStreamWrapper view = new DataOutputViewStreamWrapper(out);
    for (int keyGroup : out.getKeyGroupList()) {
      out.startNewKeyGroup(keyGroup);
      view.writeInt(FORMAT_VERSION);
      view.writeLong(bucketMillis);
      view.writeLong(clock);
      SeenIds t = tables[keyGroup - firstKeyGroup];
      if (t == null) {
        view.writeInt(0);
      } else {
        t.write(view);
      }
    }
  }
}
