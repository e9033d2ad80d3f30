package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pending committable whose files were deleted meanwhile (a vacuum with too short a retention
 * while the job was down, or between `flink savepoint` and the restore) is refused loudly instead
 * of committing {@code add} actions for missing files (issue 21, hole 4).
 */
class MissingDataFilesTest {
  @TempDir Path tmp;

  @Test
  void aCommittableWhoseFileIsGoneIsRefusedAndNothingIsCommitted() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date")
        .sinkId("c").build();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    assertThat(committer.commit(new DeltaCommittable("c", "run-a", 1, SinkParts.writeEvents(sink, 0, 10)))).isTrue();
    long version = DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion();

    List<DataFile> pending = SinkParts.writeEvents(sink, 10, 20);
    String vacuumed = pending.get(1).path();
    Files.delete(Paths.get(URI.create(vacuumed)));

    DeltaCommittable c = new DeltaCommittable("c", "run-a", 2, pending);
    assertThatThrownBy(() -> committer.commit(c))
        .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("MissingDataFilesException"))
        .hasMessageContaining(vacuumed)
        .hasMessageContaining("1 data file(s) that do not exist");
    assertThat(DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion())
        .as("nothing committed").isEqualTo(version);
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).as("the table stays readable").hasSize(10);
  }
}
