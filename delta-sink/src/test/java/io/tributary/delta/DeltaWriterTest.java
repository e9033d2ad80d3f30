package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's file handling and the type round trip through Delta Kernel's reader. */
class DeltaWriterTest {
  @TempDir Path tmp;

  private static void commit(DeltaSink sink, List<DataFile> files) {
    new DeltaCommitter(sink.config(), new CapturingMetricGroup())
        .commit(new DeltaCommittable(sink.config().sinkId(), "job", 1, files));
  }

  @Test
  void rollsFilesAtTheTargetSize() throws Exception {
    DeltaSink sink =
        DeltaSink.forRowData(TestStreams.EVENTS).tablePath(tmp.resolve("t").toString()).partitionColumns("event_date")
            .option("file.target-size", "4kb").option("parquet.row-group-size", "4kb").option("parquet.page-size", "1kb")
            .build();
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 6_000);
    Map<String, Long> perDay =
        files.stream().collect(Collectors.groupingBy(f -> f.partitionValues().get("event_date"), Collectors.counting()));
    assertThat(perDay).hasSize(3).allSatisfy((day, n) -> assertThat(n).as(day).isGreaterThan(1));
    assertThat(files.stream().mapToLong(DataFile::numRecords).sum()).isEqualTo(6_000);
    commit(sink, files);
    assertThat(DeltaTestTables.readAll(sink.config().tablePath(), Collections.emptyMap())).hasSize(6_000);
  }

  @Test
  void countsRowsFilesAndBytesWritten() throws Exception {
    DeltaSink sink =
        DeltaSink.forRowData(TestStreams.EVENTS).tablePath(tmp.resolve("m").toString()).partitionColumns("event_date").build();
    List<org.apache.flink.table.data.RowData> rows = new ArrayList<>();
    for (long i = 0; i < 90; i++) {
      rows.add(TestStreams.event(i));
    }
    CapturingMetricGroup metrics = new CapturingMetricGroup();
    List<DataFile> files = SinkParts.write(sink, rows, metrics);
    assertThat(metrics.count("deltaRowsWritten")).isEqualTo(90);
    assertThat(metrics.count("deltaFilesWritten")).isEqualTo(files.size()).isEqualTo(3);
    assertThat(metrics.count("deltaBytesWritten")).isEqualTo(files.stream().mapToLong(DataFile::size).sum());
  }

  @Test
  void boundsOpenFilesByClosingTheLeastRecentlyWritten() throws Exception {
    DeltaSink sink =
        DeltaSink.forRowData(TestStreams.EVENTS).tablePath(tmp.resolve("t").toString()).partitionColumns("event_date")
            .option("file.max-open", "2").build();
    // Days cycle 0,1,2,0,1,2...: with two open files every new row's day is the evicted one.
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 30);
    assertThat(files.size()).isGreaterThan(3);
    assertThat(files.stream().mapToLong(DataFile::numRecords).sum()).isEqualTo(30);
  }

  @Test
  void zstdFilesAreReadable() throws Exception {
    DeltaSink sink =
        DeltaSink.forRowData(TestStreams.EVENTS).tablePath(tmp.resolve("z").toString()).partitionColumns("event_date")
            .option("parquet.compression", "zstd").build();
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 500);
    assertThat(files).allSatisfy(f -> assertThat(f.path()).endsWith(".zstd.parquet"));
    commit(sink, files);
    assertThat(DeltaTestTables.readAll(sink.config().tablePath(), Collections.emptyMap())).hasSize(500);
  }

  @Test
  void everySupportedTypeRoundTripsThroughKernel() throws Exception {
    RowType type =
        (RowType)
            DataTypes.ROW(
                    DataTypes.FIELD("id", DataTypes.INT().notNull()),
                    DataTypes.FIELD("b", DataTypes.BOOLEAN()),
                    DataTypes.FIELD("t", DataTypes.TINYINT()),
                    DataTypes.FIELD("s", DataTypes.SMALLINT()),
                    DataTypes.FIELD("l", DataTypes.BIGINT()),
                    DataTypes.FIELD("f", DataTypes.FLOAT()),
                    DataTypes.FIELD("d", DataTypes.DOUBLE()),
                    DataTypes.FIELD("d5", DataTypes.DECIMAL(5, 2)),
                    DataTypes.FIELD("d18", DataTypes.DECIMAL(18, 4)),
                    DataTypes.FIELD("d38", DataTypes.DECIMAL(38, 10)),
                    DataTypes.FIELD("str", DataTypes.STRING()),
                    DataTypes.FIELD("bin", DataTypes.BYTES()),
                    DataTypes.FIELD("day", DataTypes.DATE()),
                    DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(6)),
                    DataTypes.FIELD("ntz", DataTypes.TIMESTAMP(9)),
                    DataTypes.FIELD("r", DataTypes.ROW(DataTypes.FIELD("a", DataTypes.INT()), DataTypes.FIELD("b", DataTypes.STRING()))),
                    DataTypes.FIELD("arr", DataTypes.ARRAY(DataTypes.STRING())),
                    DataTypes.FIELD("m", DataTypes.MAP(DataTypes.STRING(), DataTypes.BIGINT())))
                .getLogicalType();
    Instant instant = Instant.parse("2024-02-29T23:59:59.123456Z");
    LocalDateTime wall = LocalDateTime.parse("1969-12-31T23:59:59.999999999");
    Map<StringData, Long> map = new HashMap<>();
    map.put(StringData.fromString("k"), 7L);
    map.put(StringData.fromString("nil"), null);
    RowData full =
        GenericRowData.of(
            1, true, (byte) -8, (short) 300, Long.MIN_VALUE, 1.5f, -2.25d,
            DecimalData.fromBigDecimal(new BigDecimal("-123.45"), 5, 2),
            DecimalData.fromBigDecimal(new BigDecimal("12345678901234.5678"), 18, 4),
            DecimalData.fromBigDecimal(new BigDecimal("-1234567890123456789012345678.0123456789"), 38, 10),
            StringData.fromString("héllo ✓"), "raw".getBytes(StandardCharsets.UTF_8),
            (int) LocalDate.parse("1900-01-01").toEpochDay(),
            TimestampData.fromInstant(instant), TimestampData.fromLocalDateTime(wall),
            GenericRowData.of(5, StringData.fromString("x")),
            new GenericArrayData(new Object[] {StringData.fromString("a"), null, StringData.fromString("c")}),
            new GenericMapData(map));
    RowData empty = GenericRowData.of(2, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        GenericRowData.of(null, null), new GenericArrayData(new Object[0]), new GenericMapData(Collections.emptyMap()));
    RowData nulls = new GenericRowData(18);
    ((GenericRowData) nulls).setField(0, 3);

    DeltaSink sink = DeltaSink.forRowData(type).tablePath(tmp.resolve("types").toString()).build();
    commit(sink, SinkParts.write(sink, Arrays.asList(full, empty, nulls)));
    Map<Integer, Map<String, Object>> rows =
        DeltaTestTables.readAll(sink.config().tablePath(), Collections.emptyMap()).stream()
            .collect(Collectors.toMap(r -> (Integer) r.get("id"), r -> r));

    Map<String, Object> r1 = rows.get(1);
    assertThat(r1.get("b")).isEqualTo(true);
    assertThat(r1.get("t")).isEqualTo((byte) -8);
    assertThat(r1.get("s")).isEqualTo((short) 300);
    assertThat(r1.get("l")).isEqualTo(Long.MIN_VALUE);
    assertThat(r1.get("f")).isEqualTo(1.5f);
    assertThat(r1.get("d")).isEqualTo(-2.25d);
    assertThat(r1.get("d5")).isEqualTo(new BigDecimal("-123.45"));
    assertThat(r1.get("d18")).isEqualTo(new BigDecimal("12345678901234.5678"));
    assertThat(r1.get("d38")).isEqualTo(new BigDecimal("-1234567890123456789012345678.0123456789"));
    assertThat(r1.get("str")).isEqualTo("héllo ✓");
    assertThat(new String((byte[]) r1.get("bin"), StandardCharsets.UTF_8)).isEqualTo("raw");
    assertThat(r1.get("day")).isEqualTo((int) LocalDate.parse("1900-01-01").toEpochDay());
    assertThat(r1.get("ltz")).isEqualTo(instant.getEpochSecond() * 1_000_000 + 123_456);
    // TIMESTAMP without zone: the wall clock read as UTC, truncated to microseconds.
    assertThat(r1.get("ntz")).isEqualTo(-1L);
    Map<String, Object> nested = new HashMap<>();
    nested.put("a", 5);
    nested.put("b", "x");
    assertThat(r1.get("r")).isEqualTo(nested);
    assertThat(r1.get("arr")).isEqualTo(Arrays.asList("a", null, "c"));
    Map<Object, Object> expectedMap = new HashMap<>();
    expectedMap.put("k", 7L);
    expectedMap.put("nil", null);
    assertThat((Map<?, ?>) r1.get("m")).isEqualTo(expectedMap);

    Map<String, Object> r2 = rows.get(2);
    assertThat(r2.get("arr")).isEqualTo(new ArrayList<>());
    assertThat((Map<?, ?>) r2.get("m")).isEmpty();
    assertThat(r2.get("str")).isNull();

    Map<String, Object> r3 = rows.get(3);
    assertThat(r3.entrySet().stream().filter(e -> !e.getKey().equals("id")).map(Map.Entry::getValue)).containsOnlyNulls();
  }
}
