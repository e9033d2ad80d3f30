package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.maintenance.CompactionReport;
import io.tributary.delta.maintenance.CompactionSettings;
import io.tributary.delta.maintenance.Compactor;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.FaultyFileSystem;
import io.tributary.delta.testing.HookedLogStore;
import io.tributary.delta.testing.TestStreams;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction never deletes files a commit may reference: when the log store reports a failure
 * after the commit landed (a lost acknowledgement), the log is read again first (issue 21, hole 3).
 */
class CompactionOutcomeTest {
  @TempDir Path tmp;

  @AfterEach
  void reset() {
    HookedLogStore.reset();
    FaultyFileSystem.reset();
  }

  private MaintainedTable tableWithSmallFiles(Path dir) throws Exception {
    DeltaSink sink = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(FaultyFileSystem.uri(dir))
        .partitionColumns("event_date").sinkId("c").options(FaultyFileSystem.SINK_OPTIONS).build();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    for (int i = 0; i < 3; i++) {
      assertThat(committer.commit(new DeltaCommittable("c", "run-a", i + 1, SinkParts.writeEvents(sink, i * 10, i * 10 + 10))))
          .isTrue();
    }
    committer.close();
    Map<String, String> hadoop = new HashMap<>();
    FaultyFileSystem.SINK_OPTIONS.forEach((k, v) -> hadoop.put(k.substring("hadoop.".length()), v));
    return MaintainedTable.open(FaultyFileSystem.uri(dir), hadoop);
  }

  private static void assertEveryActiveFileExists(MaintainedTable table) {
    for (ActiveFile f : ActiveFile.list(table.engine(), table.snapshot())) {
      assertThat(Files.exists(Paths.get(URI.create(f.path().replaceFirst("^faulty:", "file:")))))
          .as("active file %s exists", f.path()).isTrue();
    }
  }

  @Test
  void aCommitThatLandedDespiteAnErrorKeepsItsFiles() throws Exception {
    Path dir = tmp.resolve("lost-ack");
    MaintainedTable table = tableWithSmallFiles(dir);
    long before = table.snapshot().getVersion();
    AtomicInteger lost = new AtomicInteger();
    HookedLogStore.loseAcknowledgement = p -> p.getName().endsWith(".json") && lost.incrementAndGet() == 1;

    CompactionSettings settings = CompactionSettings.builder().minInputFiles(2).maxPartitions(1).build();
    CompactionReport report = null;
    try {
      report = new Compactor(table, settings).compact();
    } catch (RuntimeException e) {
      // An unknown outcome may be reported; the files must stay either way (checked below).
    }
    assertThat(lost.get()).as("the acknowledgement was lost").isPositive();
    assertThat(table.snapshot().getVersion()).as("the rewrite landed").isGreaterThan(before);
    assertEveryActiveFileExists(table);
    List<Map<String, Object>> rows = DeltaTestTables.readAll(dir.toString(), Collections.emptyMap());
    assertThat(rows).as("every row readable after the compaction").hasSize(30);
    if (report != null) {
      assertThat(report.outcomes()).allMatch(CompactionReport.PartitionOutcome::committed);
    }
  }
}
