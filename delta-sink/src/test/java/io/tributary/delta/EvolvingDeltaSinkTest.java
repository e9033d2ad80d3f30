package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.types.StructField;
import io.tributary.delta.log.SchemaJson;
import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.FaultyFileSystem;
import io.tributary.delta.testing.HookedLogStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes belong to the committer: a writer that meets a row with a new column writes
 * nothing to the log, so an ADD COLUMN arriving while the committer commits cannot make that
 * commit fail (issue 21, hole 5).
 */
class EvolvingDeltaSinkTest {
  @TempDir Path tmp;

  static final RowType V1 = RowType.of(
      new LogicalType[] {new BigIntType(false), new DateType(), new VarCharType(VarCharType.MAX_LENGTH)},
      new String[] {"id", "event_date", "name"});
  /** V1 plus a nullable column, which the source table gained (ALTER TABLE ... ADD COLUMN). */
  static final RowType V2 = RowType.of(
      new LogicalType[] {new BigIntType(false), new DateType(), new VarCharType(VarCharType.MAX_LENGTH),
          new VarCharType(VarCharType.MAX_LENGTH)},
      new String[] {"id", "event_date", "name", "note"});

  /** A row and its schema version. */
  static final class Row implements EvolvingRow {
    final RowType type;
    final Object[] values;

    Row(RowType type, Object... values) {
      this.type = type;
      this.values = values;
    }

    static Row v1(long id) {
      return new Row(V1, id, 19900 + (int) (id % 2), StringData.fromString("name-" + id));
    }

    static Row v2(long id) {
      return new Row(V2, id, 19900 + (int) (id % 2), StringData.fromString("name-" + id), StringData.fromString("note-" + id));
    }

    @Override
    public RowType rowType() {
      return type;
    }

    @Override
    public Object[] values() {
      return values;
    }
  }

  @AfterEach
  void reset() {
    HookedLogStore.reset();
  }

  /** The committable the aggregator makes of one checkpoint's results. */
  private static DeltaCommittable committable(long checkpoint, Collection<DeltaWriteResult> results) {
    List<DataFile> files = new ArrayList<>();
    String schema = null;
    for (DeltaWriteResult r : results) {
      files.addAll(r.files());
      schema = SchemaJson.widen(schema, r.schemaJson());
    }
    return new DeltaCommittable("evolving", "run-a", checkpoint, files, schema);
  }

  @Test
  void anAddColumnArrivingDuringACommitDoesNotFailIt() throws Exception {
    Path dir = tmp.resolve("t");
    Map<String, String> options = new HashMap<>(FaultyFileSystem.SINK_OPTIONS);
    options.put("table.path", FaultyFileSystem.uri(dir));
    options.put("sink.id", "evolving");
    EvolvingDeltaSink<Row> sink = new EvolvingDeltaSink<>(V1, options, "event_date");
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    SinkWriter<Row> writer = sink.createWriter(SinkParts.context(null));
    @SuppressWarnings("unchecked")
    org.apache.flink.api.connector.sink2.CommittingSinkWriter<Row, DeltaWriteResult> committing =
        (org.apache.flink.api.connector.sink2.CommittingSinkWriter<Row, DeltaWriteResult>) writer;

    for (long id = 0; id < 10; id++) {
      writer.write(Row.v1(id), null);
    }
    DeltaCommittable first = committable(1, committing.prepareCommit());
    long versionBefore = DeltaTestTables.snapshot(dir.toString(), Collections.emptyMap()).getVersion();

    // While the committer writes checkpoint 1's commit, a row with the new column reaches a writer.
    AtomicBoolean raced = new AtomicBoolean();
    HookedLogStore.beforeWrite = p -> {
      try {
        writer.write(Row.v2(10), null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      raced.set(true);
      return true;
    };
    assertThat(committer.commit(first)).as("checkpoint 1 commits").isTrue();
    assertThat(raced).as("the schema change raced the commit").isTrue();
    assertThat(DeltaTestTables.snapshot(dir.toString(), Collections.emptyMap()).getVersion())
        .as("only the committer wrote to the log").isEqualTo(versionBefore + 1);

    for (long id = 11; id < 20; id++) {
      writer.write(id % 3 == 0 ? Row.v1(id) : Row.v2(id), null); // older rows may still arrive
    }
    DeltaCommittable second = committable(2, committing.prepareCommit());
    assertThat(second.schemaJson()).as("the files travel with their schema").contains("note");
    assertThat(committer.commit(second)).isTrue();
    assertThat(committer.commit(second)).as("a replay is recognized").isFalse();
    writer.close();
    committer.close();

    assertThat(DeltaTestTables.snapshot(dir.toString(), Collections.emptyMap()).getSchema().fields().stream()
        .map(StructField::getName).collect(Collectors.toList())).containsExactly("id", "event_date", "name", "note");
    Map<Long, Object> notes = new HashMap<>();
    for (Map<String, Object> r : DeltaTestTables.readAll(dir.toString(), Collections.emptyMap())) {
      notes.put((Long) r.get("id"), r.get("note"));
    }
    assertThat(notes).hasSize(20);
    assertThat(notes.get(3L)).isNull();
    assertThat(notes.get(10L)).isEqualTo("note-10");
    assertThat(notes.get(12L)).as("a v1 row after the change reads null").isNull();
    assertThat(notes.get(13L)).isEqualTo("note-13");
  }
}
