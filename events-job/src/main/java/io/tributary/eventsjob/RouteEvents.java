package io.tributary.eventsjob;

import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses each Kinesis record ({@link EventMapper}): events go to the main output as {@link
 * AtomicEventsTable} rows, rejected records to {@link #QUARANTINE} as {@link QuarantineTable} rows.
 * Never fails on bad input. The job's graph without dedup; with dedup, {@link DeduplicateEvents}
 * parses and routes (after the keyBy) instead.
 *
 * <p>Metrics: {@link RoutingCounters}.
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
  private final EventTimePolicy eventTime;

  private transient EventMapper mapper;
  private transient RoutingCounters counters;

  /** Accepts every event timestamp the contract accepts. */
  public RouteEvents(int maxPayloadBytes) {
    this(maxPayloadBytes, EventTimePolicy.NONE);
  }

  /** @param eventTime valid events whose timestamp is outside it are quarantined */
  public RouteEvents(int maxPayloadBytes, EventTimePolicy eventTime) {
    this.maxPayloadBytes = maxPayloadBytes;
    this.eventTime = eventTime;
  }

  @Override
  public void open(OpenContext openContext) {
    mapper = new EventMapper(maxPayloadBytes, eventTime);
    counters = new RoutingCounters(getRuntimeContext().getMetricGroup());
  }

  @Override
  public void processElement(KinesisRecord record, Context ctx, Collector<RowData> out) {
    MappedRecord mapped = mapper.map(record, Instant.now());
    counters.count(mapped);
    if (mapped.isEvent()) {
      out.collect(mapped.row());
    } else {
      ctx.output(QUARANTINE, mapped.row());
    }
  }
}
