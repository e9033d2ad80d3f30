package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer's in-job maintenance ({@code maintenance.*} options), driven without Flink. */
class InJobMaintenanceTest {
  @TempDir Path tmp;

  private DeltaSink sink(String table, boolean enabled) {
    return DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date").sinkId("m")
        .option("maintenance.enabled", Boolean.toString(enabled))
        .option("maintenance.commit-interval", "3")
        .option("maintenance.compaction.min-files", "4")
        .build();
  }

  @Test
  void compactsEveryPartitionCommitsTouchedAndKeepsEveryRow() throws Exception {
    String table = tmp.resolve("t").toString();
    DeltaSink sink = sink(table, true);
    CapturingMetricGroup metrics = new CapturingMetricGroup();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), metrics);
    int commits = 12;
    for (int i = 0; i < commits; i++) {
      // Each commit writes to all three days: the older two are "late data" partitions.
      assertThat(committer.commit(new DeltaCommittable("m", "job", i + 1, SinkParts.writeEvents(sink, i * 50L, (i + 1) * 50L))))
          .isTrue();
      awaitIdle(committer);
    }
    committer.close();

    Map<Map<String, String>, Long> files = filesPerPartition(table);
    assertThat(files).hasSize(3);
    // 12 commits added 12 files per partition; a partition is compacted once it has 4 small files.
    assertThat(files.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4L));
    assertThat(metrics.count("deltaCompactionsRun")).isGreaterThanOrEqualTo(6);
    assertThat(metrics.count("deltaCompactionsFailed")).isZero();
    assertThat(metrics.count("deltaCompactionBytesRewritten")).isPositive();
    assertThat(metrics.count("deltaMaintenanceRuns")).isGreaterThanOrEqualTo(commits / 3);
    assertThat((Long) metrics.gaugeValue("deltaActivePartitionFiles"))
        .isEqualTo(files.values().stream().mapToLong(Long::longValue).max().getAsLong());
    // Commits since the last run stay below the commit interval; their age is the lag.
    assertThat((Long) metrics.gaugeValue("deltaMaintenanceLagCommits")).isLessThan(3L);
    assertThat((Long) metrics.gaugeValue("deltaMaintenanceLagMs")).isGreaterThanOrEqualTo(0L);

    List<Long> ids = DeltaTestTables.readAll(table, Collections.emptyMap()).stream()
        .map(r -> (Long) r.get("id")).sorted().collect(Collectors.toList());
    assertThat(ids).hasSize(commits * 50).doesNotHaveDuplicates();
    assertThat(ids.get(ids.size() - 1)).isEqualTo(commits * 50L - 1);
  }

  @Test
  void disabledMaintenanceLeavesEveryFile() throws Exception {
    String table = tmp.resolve("off").toString();
    DeltaSink sink = sink(table, false);
    CapturingMetricGroup metrics = new CapturingMetricGroup();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), metrics);
    for (int i = 0; i < 6; i++) {
      committer.commit(new DeltaCommittable("m", "job", i + 1, SinkParts.writeEvents(sink, i * 10L, (i + 1) * 10L)));
    }
    committer.close();
    assertThat(filesPerPartition(table).values()).containsOnly(6L);
    assertThat(metrics.count("deltaMaintenanceRuns")).isZero();
  }

  @Test
  void closeStopsTheMaintenanceThread() throws Exception {
    String table = tmp.resolve("close").toString();
    DeltaSink sink = sink(table, true);
    DeltaCommitter committer = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    for (int i = 0; i < 3; i++) {
      committer.commit(new DeltaCommittable("m", "job", i + 1, SinkParts.writeEvents(sink, i * 10L, (i + 1) * 10L)));
    }
    assertThat(maintenanceThreads(table)).isNotEmpty();
    committer.close();
    // The pool has terminated when close() returns; its worker thread ends right after.
    long deadline = System.currentTimeMillis() + 5_000;
    while (!maintenanceThreads(table).isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(maintenanceThreads(table)).isEmpty();
  }

  @Test
  void aCompactionStoppedByCloseIsNotAFailure() throws Exception {
    String table = tmp.resolve("stopped").toString();
    DeltaSink sink = sink(table, true);
    CapturingMetricGroup metrics = new CapturingMetricGroup();
    DeltaCommitter committer = new DeltaCommitter(sink.config(), metrics);
    try {
      // The first commit's run finds nothing to do; the 4th commit's run compacts 4 files per
      // partition, large enough that it is still reading when close() comes.
      for (int i = 0; i < 4; i++) {
        awaitIdle(committer);
        committer.commit(new DeltaCommittable("m", "job", i + 1,
            SinkParts.writeEvents(sink, i * 40_000L, (i + 1) * 40_000L)));
      }
      assertThat(committer.maintenance().running()).as("a maintenance run in progress at close").isTrue();
    } finally {
      committer.close();
    }
    assertThat(metrics.count("deltaCompactionsRun")).as("the run was stopped, not finished").isZero();
    assertThat(metrics.count("deltaCompactionsFailed")).as("a job closing is not a failed compaction").isZero();
  }

  @Test
  void unsafeSettingsAreRejected() {
    Function<Map<String, String>, DeltaSinkConfig> config = extra -> {
      Map<String, String> options = new java.util.HashMap<>(extra);
      options.put("table.path", tmp.resolve("x").toString());
      return DeltaSinkConfig.fromMap(options);
    };
    assertThat(config.apply(Map.of()).maintenance().enabled()).isTrue();
    assertThatThrownBy(() -> config.apply(Map.of("maintenance.vacuum.retention", "1 h")))
        .isInstanceOf(IllegalConfigurationException.class).hasMessageContaining("at least 7 days");
    assertThatThrownBy(() -> config.apply(Map.of("maintenance.compaction.min-files", "1")))
        .isInstanceOf(IllegalConfigurationException.class).hasMessageContaining("min-files");
    assertThatThrownBy(() -> config.apply(Map.of("maintenance.compaction.small-file-size", "256mb")))
        .isInstanceOf(IllegalConfigurationException.class).hasMessageContaining("must not exceed the target size");
  }

  /** This table's maintenance threads only: other test classes in the JVM have their own. */
  private static List<Thread> maintenanceThreads(String table) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("tributary-maintenance")
            && t.getName().endsWith(table))
        .collect(Collectors.toList());
  }

  private static void awaitIdle(DeltaCommitter committer) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (committer.maintenance().running()) {
      assertThat(System.currentTimeMillis()).as("maintenance run ended").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static Map<Map<String, String>, Long> filesPerPartition(String table) {
    MaintainedTable t = MaintainedTable.open(table, Map.of());
    return ActiveFile.list(t.engine(), t.snapshot()).stream()
        .collect(Collectors.groupingBy(ActiveFile::partitionValues, Collectors.counting()));
  }
}
