package io.tributary.eventsjob;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses each Kinesis record ({@link EventMapper}): events go to the main output as {@link
 * AtomicEventsTable} rows, rejected records to {@link #QUARANTINE} as {@link QuarantineTable} rows.
 * Never fails on bad input. With {@code forDedup}, the main output is {@link DedupRow}s instead
 * (each event row with its payload's fingerprint and bytes), for {@link DeduplicateEvents}.
 *
 * <p>Metrics: {@value #ACCEPTED} and {@value #QUARANTINED} (counters), and per reason {@code
 * reason.<REASON>.quarantinedRecords}.
 */
public final class RouteEvents extends ProcessFunction<KinesisRecord, RowData> {
  private static final long serialVersionUID = 1L;

  public static final String ACCEPTED = "acceptedEvents";
  public static final String QUARANTINED = "quarantinedRecords";
  /** The metric group Amazon Managed Service for Apache Flink exports to CloudWatch. */
  public static final String MANAGED_FLINK_GROUP = "kinesisanalytics";

  /** Side output of quarantine rows. */
  public static final OutputTag<RowData> QUARANTINE =
      new OutputTag<>("quarantine", InternalTypeInfo.of(QuarantineTable.ROW_TYPE));

  private final int maxPayloadBytes;
  private final boolean forDedup;
  private final EventTimePolicy eventTime;

  private transient EventMapper mapper;
  private transient DedupRow.Builder dedupRows;
  private transient Counter accepted;
  private transient Counter quarantined;
  private transient Map<String, Counter> byReason;

  /** Emits {@link AtomicEventsTable} rows and accepts every event timestamp the contract accepts. */
  public RouteEvents(int maxPayloadBytes) {
    this(maxPayloadBytes, false, EventTimePolicy.NONE);
  }

  /** @param forDedup emit {@link DedupRow}s (for {@link DeduplicateEvents}) instead of atomic rows */
  public RouteEvents(int maxPayloadBytes, boolean forDedup) {
    this(maxPayloadBytes, forDedup, EventTimePolicy.NONE);
  }

  /**
   * @param forDedup emit {@link DedupRow}s (for {@link DeduplicateEvents}) instead of atomic rows
   * @param eventTime valid events whose timestamp is outside it are quarantined
   */
  public RouteEvents(int maxPayloadBytes, boolean forDedup, EventTimePolicy eventTime) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.forDedup = forDedup;
    this.eventTime = eventTime;
  }

  @Override
  public void open(OpenContext openContext) {
    mapper = new EventMapper(maxPayloadBytes, eventTime);
    dedupRows = new DedupRow.Builder();
    MetricGroup metrics = getRuntimeContext().getMetricGroup();
    accepted = metrics.counter(ACCEPTED);
    quarantined = metrics.counter(QUARANTINED);
    // Managed Flink forwards a job's own metrics to CloudWatch only from this group; the deploy
    // stack's quarantine alarm reads it there. Same counter object: counted once.
    metrics.addGroup(MANAGED_FLINK_GROUP).counter(QUARANTINED, quarantined);
    byReason = new HashMap<>();
  }

  @Override
  public void processElement(KinesisRecord record, Context ctx, Collector<RowData> out) {
    MappedRecord mapped = mapper.map(record, Instant.now());
    if (mapped.isEvent()) {
      accepted.inc();
      // The dedup row is serialized into the keyBy's buffers at once, so one holder is reused.
      out.collect(forDedup ? dedupRows.of(mapped.row(), record.getPayload()) : mapped.row());
    } else {
      quarantined.inc();
      byReason
          .computeIfAbsent(
              mapped.quarantineReason(),
              r -> getRuntimeContext().getMetricGroup().addGroup("reason", r).counter(QUARANTINED))
          .inc();
      ctx.output(QUARANTINE, mapped.row());
    }
  }
}
