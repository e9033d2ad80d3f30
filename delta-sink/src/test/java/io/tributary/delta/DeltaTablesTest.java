package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Snapshot;
import io.delta.kernel.types.StringType;
import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table creation, schema checks, schema evolution and log checkpoints. */
class DeltaTablesTest {
  @TempDir Path tmp;

  private static RowType row(String[] names, LogicalType... types) {
    return RowType.of(types, names);
  }

  @Test
  void createsTableWithProtocolOneTwoAndProperties() {
    String table = tmp.resolve("t").toString();
    DeltaSink.forRowData(TestStreams.EVENTS)
        .tablePath(table)
        .partitionColumns("event_date")
        .option("log.checkpoint-interval", "3")
        .option("table.property.owner", "data-platform")
        .build();
    Snapshot s = DeltaTestTables.snapshot(table, Collections.emptyMap());
    assertThat(s.getVersion()).isZero();
    assertThat(s.getProtocol().getMinReaderVersion()).isEqualTo(1);
    assertThat(s.getProtocol().getMinWriterVersion()).isEqualTo(2);
    assertThat(s.getTableProperties()).containsEntry("delta.checkpointInterval", "3").containsEntry("owner", "data-platform");
    assertThat(s.getSchema().fieldNames()).containsExactly("id", "event_date", "category", "amount", "ts");
  }

  @Test
  void rejectsIncompatibleExistingTableWithEveryProblemListed() {
    String table = tmp.resolve("t").toString();
    DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").build();

    RowType changed =
        row(new String[] {"id", "event_date", "category", "amount", "ts", "extra"},
            new VarCharType(10), new DateType(), new VarCharType(10),
            TestStreams.EVENTS.getTypeAt(3), TestStreams.EVENTS.getTypeAt(4), new IntType());
    assertThatThrownBy(() -> DeltaSink.forRowData(changed).tablePath(table).partitionColumns("category").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("column 'id' is long in the table but string in the stream")
        .hasMessageContaining("column 'extra' (integer) is not in the table; enable 'schema.evolution'")
        .hasMessageContaining("partitioned by [event_date] but the sink by [category]");
  }

  @Test
  void schemaEvolutionAddsNullableColumnsKeepingProtocolAndOldRows() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink v1 = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("s").build();
    new DeltaCommitter(v1.config(), new CapturingMetricGroup())
        .commit(new DeltaCommittable("s", "j1", 1, SinkParts.writeEvents(v1, 0, 10)));

    List<LogicalType> types = new ArrayList<>(TestStreams.EVENTS.getChildren());
    types.add(new VarCharType(VarCharType.MAX_LENGTH));
    List<String> names = new ArrayList<>(TestStreams.EVENTS.getFieldNames());
    names.add("country");
    RowType v2Type = row(names.toArray(new String[0]), types.toArray(new LogicalType[0]));
    DeltaSink v2 =
        DeltaSink.forRowData(v2Type).tablePath(table).partitionColumns("event_date").sinkId("s")
            .option("schema.evolution", "true").build();
    Snapshot evolved = DeltaTestTables.snapshot(table, Collections.emptyMap());
    assertThat(evolved.getSchema().get("country").getDataType()).isEqualTo(StringType.STRING);
    assertThat(evolved.getProtocol().getMinWriterVersion()).isEqualTo(2);

    RowData withCountry = GenericRowData.of(
        100L, TestStreams.FIRST_DAY, StringData.fromString("x"), null, null, StringData.fromString("PT"));
    new DeltaCommitter(v2.config(), new CapturingMetricGroup())
        .commit(new DeltaCommittable("s", "j2", 1, SinkParts.write(v2, Arrays.asList(withCountry))));

    List<Map<String, Object>> rows = DeltaTestTables.readAll(table, Collections.emptyMap());
    assertThat(rows).hasSize(11);
    assertThat(rows).filteredOn(r -> (Long) r.get("id") == 100L).singleElement()
        .satisfies(r -> assertThat(r.get("country")).isEqualTo("PT"));
    assertThat(rows).filteredOn(r -> (Long) r.get("id") < 10L).allSatisfy(r -> assertThat(r.get("country")).isNull());

    // Without evolution enabled the narrower old stream still fits (missing nullable column).
    DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").build();
  }

  @Test
  void writesLogCheckpointsAtTheConfiguredInterval() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink =
        DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("s")
            .option("log.checkpoint-interval", "2").build();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    for (int cp = 1; cp <= 4; cp++) {
      committer.commit(new DeltaCommittable("s", "j", cp, SinkParts.writeEvents(sink, cp * 10, cp * 10 + 10)));
    }
    File log = tmp.resolve("t/_delta_log").toFile();
    assertThat(log.list((d, n) -> n.endsWith(".checkpoint.parquet")))
        .contains("00000000000000000002.checkpoint.parquet", "00000000000000000004.checkpoint.parquet");
    assertThat(new File(log, "_last_checkpoint")).exists();
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(40);
  }

  @Test
  void addActionsCarryColumnStatistics() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("s").build();
    List<DataFile> files = SinkParts.writeEvents(sink, 0, 300);
    DataFile day0 = files.stream().filter(f -> "2024-06-26".equals(f.partitionValues().get("event_date"))).findFirst().orElseThrow();
    // ids 0,3,...,297 are on the first day; ts = base + id millis.
    assertThat(day0.numRecords()).isEqualTo(100);
    assertThat(day0.statsJson())
        .contains("\"numRecords\":100")
        .contains("\"minValues\":{\"id\":0,\"category\":\"cat-0\",\"amount\":0.00,\"ts\":\"2024-06-27T00:00:00.000Z\"}")
        .contains("\"maxValues\":{\"id\":297,\"category\":\"cat-6\",\"amount\":2.97,\"ts\":\"2024-06-27T00:00:00.297Z\"}")
        .contains("\"nullCount\":{\"id\":0,\"category\":0,\"amount\":0,\"ts\":0}")
        .doesNotContain("event_date");
  }
}
