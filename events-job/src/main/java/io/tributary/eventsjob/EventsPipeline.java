package io.tributary.eventsjob;

import io.tributary.delta.DeltaSink;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

/**
 * The events job's topology, in parts that tests and benchmarks recombine:
 *
 * <pre>
 * with dedup by stream (events.dedup-scope=STREAM, the default):
 * Kinesis source ─► find event_id ─► keyBy(event_id) ─► parse, route, deduplicate ─┬─► Delta atomic_events
 *                   (byte scan)      (payload bytes)                                └─► Delta atomic_events_quarantine
 *                                                          (rejected records, conflicting ids: side output)
 * with dedup by shard (events.dedup-scope=SHARD): keyed by shard and chained to the source (no
 * exchange, no id scan); the source reads each shard in the subtask owning its key group:
 * Kinesis source ─► parse, route, deduplicate per shard ─┬─► Delta atomic_events
 *                                                         └─► Delta atomic_events_quarantine
 * without dedup:
 * Kinesis source ─► route (parse) ─┬─► Delta atomic_events
 *                                  └─(side output)─► Delta atomic_events_quarantine
 * </pre>
 *
 * <p>With dedup, records cross the keyBy as payload bytes and are parsed once, after it: the
 * exchange costs a byte copy, not a row conversion (docs/benchmarks.md, issue 22).
 *
 * <p>Every operator has a stable uid ({@code events-job-*}, distinct from the other jobs' so their
 * pipelines can share one environment); keep them unchanged to restore savepoints. As uids must be
 * unique within a job, add the events pipeline once per environment. No static state.
 */
public final class EventsPipeline {

  public static final String SOURCE_UID = "events-job-kinesis-source";
  /** The router (without dedup) or the id scan before the keyBy (with dedup); stateless either way. */
  public static final String ROUTE_UID = "events-job-route";
  /**
   * The dedup operator's uid (it also parses and routes since issue 22's item 7; its state is
   * unchanged, so savepoints of the "-v2" operator restore). "-v2" since the arrival-time dedup with payload fingerprints
   * (issue 22): its state is raw keyed state, and the old operator's ({@code events-job-dedup},
   * keyed TTL state without fingerprints) cannot be mapped to it. A savepoint of the old job
   * restores only with {@code --allowNonRestoredState}, dropping the old seen ids (see
   * docs/reliability.md).
   */
  public static final String DEDUP_UID = "events-job-dedup-v2";
  /**
   * The per-shard dedup operator's uid ({@link DedupScope#SHARD}): its ids are keyed by shard, so
   * they cannot be mapped to or from the by-stream operator's; switching scopes starts with no ids.
   */
  public static final String DEDUP_PER_SHARD_UID = "events-job-dedup-per-shard";
  public static final String ATOMIC_SINK_UID = "events-job-atomic-events-sink";
  public static final String QUARANTINE_SINK_UID = "events-job-quarantine-sink";

  /** Delta sink ids: part of each table's transaction ids, so never change them. */
  public static final String ATOMIC_SINK_ID = "events-job.atomic_events";
  public static final String QUARANTINE_SINK_ID = "events-job.atomic_events_quarantine";

  private EventsPipeline() {}

  /** The two outputs of {@link #route}: accepted event rows and quarantine rows. */
  public static final class Routed {
    private final DataStream<RowData> events;
    private final DataStream<RowData> quarantine;

    public Routed(DataStream<RowData> events, DataStream<RowData> quarantine) {
      this.events = events;
      this.quarantine = quarantine;
    }

    /** {@link AtomicEventsTable} rows, deduplicated when the config asks for it. */
    public DataStream<RowData> events() {
      return events;
    }

    /** {@link QuarantineTable} rows. */
    public DataStream<RowData> quarantine() {
      return quarantine;
    }
  }

  /**
   * Adds the whole job (Kinesis to both Delta tables) to {@code env}. Creates or checks both
   * tables now. The environment must have checkpointing enabled before it executes: data is
   * committed to Delta at each completed checkpoint.
   */
  public static void addTo(StreamExecutionEnvironment env, EventsJobConfig config) {
    configure(env);
    DataStream<KinesisRecord> records = source(env, config);
    Routed routed = route(records, config);
    sinkToDelta(routed, config);
  }

  /**
   * The environment settings this pipeline is built for; {@link #addTo} applies them, and code
   * that assembles the pipeline from its parts should too. Object reuse: no operator of the
   * pipeline keeps a record after handing it on (the Delta sink copies the few values it keeps),
   * so chained operators can pass records on without a defensive copy, which saved 5-10% of the
   * job's CPU in docs/benchmarks.md.
   */
  public static void configure(StreamExecutionEnvironment env) {
    env.getConfig().enableObjectReuse();
  }

  /** The Kinesis source (a legacy SourceFunction by choice: see the README). */
  @SuppressWarnings("deprecation")
  public static DataStream<KinesisRecord> source(StreamExecutionEnvironment env, EventsJobConfig config) {
    SingleOutputStreamOperator<KinesisRecord> source =
        env.addSource(KinesisSourceFactory.create(config), "Kinesis " + config.streamName())
            .uid(SOURCE_UID)
            .name("Kinesis source: " + config.streamName());
    config.parallelism().ifPresent(source::setParallelism);
    return source;
  }

  /**
   * Parse and route, then deduplicate events by id (unless the window is 0): identical re-sends
   * are dropped, conflicting ones quarantined ({@link DeduplicateEvents}).
   */
  public static Routed route(DataStream<KinesisRecord> records, EventsJobConfig config) {
    return route(records, config.maxPayloadBytes(), config.eventTimePolicy(), config.dedupWindow(), config.dedupScope(),
        config.parallelism().orElse(null));
  }

  /** As {@link #route(DataStream, int, EventTimePolicy, Duration, Integer)}, accepting every event timestamp. */
  public static Routed route(
      DataStream<KinesisRecord> records, int maxPayloadBytes, Duration dedupWindow, Integer parallelism) {
    return route(records, maxPayloadBytes, EventTimePolicy.NONE, dedupWindow, DedupScope.STREAM, parallelism);
  }

  /**
   * @param eventTime valid events outside it go to the quarantine
   * @param dedupWindow {@link Duration#ZERO} for no deduplication
   * @param scope with {@link DedupScope#SHARD}, {@code records} must come from a source that reads
   *     each shard in the subtask owning its key group ({@link ShardIdAssigner#alignedWithShardKeys()}),
   *     at the same parallelism
   * @param parallelism null for the environment's
   */
  public static Routed route(
      DataStream<KinesisRecord> records,
      int maxPayloadBytes,
      EventTimePolicy eventTime,
      Duration dedupWindow,
      DedupScope scope,
      Integer parallelism) {
    if (dedupWindow.isZero()) {
      SingleOutputStreamOperator<RowData> events =
          records
              .process(new RouteEvents(maxPayloadBytes, eventTime), rowTypeInfo(AtomicEventsTable.ROW_TYPE))
              .uid(ROUTE_UID)
              .name("Parse and route events");
      if (parallelism != null) {
        events.setParallelism(parallelism);
      }
      return new Routed(events, events.getSideOutput(RouteEvents.QUARANTINE));
    }
    SingleOutputStreamOperator<IdentifiedRecord> identified;
    SingleOutputStreamOperator<RowData> deduplicated;
    if (scope == DedupScope.SHARD) {
      // Keyed by shard without an exchange or an id scan: the source already put each shard in
      // its key group's subtask. Flink chains only operators of equal max parallelism, so the whole
      // job gets the dedup's (operators without their own take the environment's when the graph
      // is built).
      records.getExecutionEnvironment().setMaxParallelism(ShardKeys.KEY_GROUPS);
      identified = records.map(IdentifiedRecord::unscanned, IdentifiedRecord.TypeInfo.INSTANCE).uid(ROUTE_UID).name("Records");
      deduplicated =
          DataStreamUtils.reinterpretAsKeyedStream(identified, new ShardKeys.Selector(), Types.INT)
              .transform(
                  "Parse, route and deduplicate by event_id per shard",
                  rowTypeInfo(AtomicEventsTable.ROW_TYPE),
                  new DeduplicateEvents(dedupWindow, maxPayloadBytes, eventTime, DedupScope.SHARD))
              .uid(DEDUP_PER_SHARD_UID)
              .name("Parse, route and deduplicate by event_id per shard")
              .setMaxParallelism(ShardKeys.KEY_GROUPS);
    } else {
      identified =
          records.map(new IdentifyEvents(maxPayloadBytes), IdentifiedRecord.TypeInfo.INSTANCE).uid(ROUTE_UID).name("Find event ids");
      deduplicated =
          identified
              .keyBy(IdentifiedRecord::key, EventIdKey.TypeInfo.INSTANCE)
              .transform(
                  "Parse, route and deduplicate by event_id",
                  rowTypeInfo(AtomicEventsTable.ROW_TYPE),
                  new DeduplicateEvents(dedupWindow, maxPayloadBytes, eventTime, DedupScope.STREAM))
              .uid(DEDUP_UID)
              .name("Parse, route and deduplicate by event_id");
    }
    if (parallelism != null) {
      identified.setParallelism(parallelism);
      deduplicated.setParallelism(parallelism);
    }
    return new Routed(deduplicated, deduplicated.getSideOutput(RouteEvents.QUARANTINE));
  }

  /** Both Delta sinks. Builds (creates or checks) the tables. */
  public static void sinkToDelta(Routed routed, EventsJobConfig config) {
    DeltaSink atomic = deltaSink(AtomicEventsTable.ROW_TYPE, config.atomicEventsTablePath(), ATOMIC_SINK_ID, config);
    DeltaSink quarantine =
        deltaSink(QuarantineTable.ROW_TYPE, config.quarantineTablePath(), QUARANTINE_SINK_ID, config);
    var atomicSink = routed.events().sinkTo(atomic).uid(ATOMIC_SINK_UID).name("Delta atomic_events");
    var quarantineSink =
        routed.quarantine().sinkTo(quarantine).uid(QUARANTINE_SINK_UID).name("Delta atomic_events_quarantine");
    config.parallelism().ifPresent(p -> {
      atomicSink.setParallelism(p);
      quarantineSink.setParallelism(p);
    });
  }

  static DeltaSink deltaSink(RowType rowType, String tablePath, String sinkId, EventsJobConfig config) {
    return DeltaSink.forRowData(rowType)
        .config(config.sinkConfig(tablePath, sinkId))
        .partitionColumns(AtomicEventsTable.PARTITION_COLUMN)
        .build();
  }

  static InternalTypeInfo<RowData> rowTypeInfo(RowType rowType) {
    return InternalTypeInfo.of(rowType);
  }
}
