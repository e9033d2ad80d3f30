package io.tributary.delta.testing;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * Deterministic, checkpointed test input: row {@code i} is always the same, so after a restore
 * the source replays exactly the rows after its checkpointed position.
 */
public final class TestStreams {
  private TestStreams() {}

  /** Event day of epoch day 19900 (2024-06-26) plus {@code id % 3}. */
  public static final int FIRST_DAY = 19900;

  public static final RowType EVENTS =
      RowType.of(
          new LogicalType[] {
            new BigIntType(false),
            new DateType(),
            new VarCharType(VarCharType.MAX_LENGTH),
            new DecimalType(10, 2),
            new LocalZonedTimestampType(3)
          },
          new String[] {"id", "event_date", "category", "amount", "ts"});

  public static RowData event(long id) {
    return GenericRowData.of(
        id,
        (int) (FIRST_DAY + id % 3),
        StringData.fromString("cat-" + (id % 7)),
        DecimalData.fromBigDecimal(BigDecimal.valueOf(id % 10_000, 2), 10, 2),
        TimestampData.fromEpochMillis(1_719_446_400_000L + id));
  }

  /** {@code count} events with ids 0..count-1 at most {@code perSecond} rows per second. */
  public static DataStream<RowData> events(StreamExecutionEnvironment env, long count, double perSecond) {
    DataGeneratorSource<RowData> source =
        new DataGeneratorSource<>(
            TestStreams::event, count, RateLimiterStrategy.perSecond(perSecond), InternalTypeInfo.of(EVENTS));
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "events").uid("events-source");
  }

  /** Passes rows through {@link FailOnce}, keeping the efficient RowData type information. */
  public static DataStream<RowData> failOnce(DataStream<RowData> in, long failAt) {
    return in.map(new FailOnce(failAt)).returns(InternalTypeInfo.of(EVENTS)).uid("fail-once");
  }

  /**
   * Throws once, on the row with id {@code failAt}, but only after a checkpoint has completed, so
   * the restart replays from a checkpoint that already committed data.
   */
  public static final class FailOnce extends RichMapFunction<RowData, RowData> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    public static final AtomicBoolean FAILED = new AtomicBoolean();
    public static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();
    private final long failAt;

    public FailOnce(long failAt) {
      this.failAt = failAt;
    }

    public static void reset() {
      FAILED.set(false);
      COMPLETED_CHECKPOINTS.set(0);
    }

    @Override
    public RowData map(RowData row) throws Exception {
      if (row.getLong(0) >= failAt && COMPLETED_CHECKPOINTS.get() > 1 && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure at id " + row.getLong(0));
      }
      return row;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      COMPLETED_CHECKPOINTS.incrementAndGet();
    }
  }
}
