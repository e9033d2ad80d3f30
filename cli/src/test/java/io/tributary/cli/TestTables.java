package io.tributary.cli;

import io.tributary.delta.DeltaSink;
import java.math.BigDecimal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
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

/** Small Delta tables written by the real sink, for the CLI's tests. */
final class TestTables {
  static final RowType ITEMS = RowType.of(
      new LogicalType[] {new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH), new DecimalType(10, 2),
          new LocalZonedTimestampType(6), new DateType()},
      new String[] {"id", "name", "price", "ts", "event_date"});

  /** Day of row 0 (2024-10-04); row i is on day DAY + i % 3. */
  static final int DAY = 20_000;

  private TestTables() {}

  /** Rows 0..n-1: name null for multiples of 10, price i * 1.01, ts 2024-10-04T00:00:00Z + i s. */
  static void writeItems(String path, long n) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(100);
    env.fromSource(
            new DataGeneratorSource<RowData>(id -> GenericRowData.of(
                    id, id % 10 == 0 ? null : StringData.fromString("name, \"" + id + "\""),
                    DecimalData.fromBigDecimal(BigDecimal.valueOf(id * 101, 2), 10, 2),
                    TimestampData.fromEpochMillis(1_728_000_000_000L + id * 1000), (int) (DAY + id % 3)),
                n, RateLimiterStrategy.perSecond(600), InternalTypeInfo.of(ITEMS)),
            WatermarkStrategy.noWatermarks(), "rows")
        .sinkTo(DeltaSink.forRowData(ITEMS).tablePath(path).partitionColumns("event_date").build())
        .uid("sink");
    env.execute("cli-test-table");
  }
}
