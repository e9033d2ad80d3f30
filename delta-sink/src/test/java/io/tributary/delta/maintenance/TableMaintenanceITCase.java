package io.tributary.delta.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Snapshot;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DeltaSink;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Compaction, vacuum and manifests on tables the sink writes, next to a running streaming job. */
class TableMaintenanceITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path tmp;

  private static DeltaSink sink(String table) {
    return DeltaSink.forRowData(TestStreams.EVENTS)
        .tablePath(table)
        .partitionColumns("event_date")
        .sinkId("maintenance-it")
        .option("manifest.enabled", "true")
        .build();
  }

  private static JobClient startJob(String table, long rows, double perSecond) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    env.setParallelism(2);
    env.enableCheckpointing(150);
    TestStreams.events(env, rows, perSecond).sinkTo(sink(table)).uid("delta-sink");
    return env.executeAsync("maintenance-it");
  }

  private static CompactionSettings eager() {
    return CompactionSettings.builder().minInputFiles(2).build();
  }

  @Test
  void compactionNextToARunningStreamLosesAndDuplicatesNothing() throws Exception {
    String path = tmp.resolve("events").toString();
    long n = 12_000;
    JobClient job = startJob(path, n, 2_000);
    int compactionCommits = 0;
    while (!job.getJobStatus().get().isGloballyTerminalState()) {
      if (Files.exists(tmp.resolve("events/_delta_log"))) {
        CompactionReport report = new Compactor(MaintainedTable.open(path, Map.of()), eager()).compact();
        compactionCommits += (int) report.outcomes().stream().filter(CompactionReport.PartitionOutcome::committed).count();
      }
      Thread.sleep(300);
    }
    job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
    assertThat(compactionCommits).as("compactions committed while the job ran").isGreaterThan(0);

    MaintainedTable table = MaintainedTable.open(path, Map.of());
    List<ActiveFile> before = ActiveFile.list(table.engine(), table.snapshot());
    CompactionReport last = new Compactor(table, eager()).compact();
    List<ActiveFile> after = ActiveFile.list(table.engine(), table.snapshot());
    // The loop's last compaction may already have run after the job's final commit, leaving one
    // file per partition; then this one has nothing left to do.
    assertThat(after.size()).isLessThanOrEqualTo(before.size());
    assertThat(after.stream().map(ActiveFile::partitionValues).distinct()).hasSize(3);
    assertThat(after).as("one file per partition after a full compaction: " + last).hasSize(3);

    assertEveryRowExactlyOnceWithItsValues(path, n);
    assertManifestsListExactlyTheActiveFiles(table);

    // Compaction left the replaced files on disk; vacuum (retention forced to zero) removes them
    // and nothing else: the table reads the same and only active files remain.
    VacuumReport dry = new Vacuum(table, Duration.ZERO, true, true).run();
    assertThat(dry.files()).isNotEmpty();
    assertThat(dataFilesOnDisk(tmp.resolve("events"))).hasSize(after.size() + dry.files().size());
    VacuumReport vacuum = new Vacuum(table, Duration.ZERO, false, true).run();
    assertThat(vacuum.files()).containsExactlyInAnyOrderElementsOf(dry.files());
    assertThat(dataFilesOnDisk(tmp.resolve("events"))).hasSize(after.size());
    assertEveryRowExactlyOnceWithItsValues(path, n);
  }

  @Test
  void theLoserOfTwoCompactionsOfTheSameFilesCommitsNothingAndCleansUp() throws Exception {
    String path = tmp.resolve("race").toString();
    startJob(path, 3_000, 3_000).getJobExecutionResult().get(2, TimeUnit.MINUTES);
    MaintainedTable table = MaintainedTable.open(path, Map.of());
    Snapshot planned = table.snapshot();
    int filesBefore = dataFilesOnDisk(tmp.resolve("race")).size();

    CompactionReport first = new Compactor(table, eager()).compact(planned);
    assertThat(first.outcomes()).allMatch(CompactionReport.PartitionOutcome::committed);
    int filesAfterFirst = dataFilesOnDisk(tmp.resolve("race")).size();
    assertThat(filesAfterFirst).isEqualTo(filesBefore + first.filesAdded());

    // A second compactor that planned from the same snapshot loses every partition.
    CompactionReport second = new Compactor(table, eager()).compact(planned);
    assertThat(second.outcomes()).isNotEmpty().noneMatch(CompactionReport.PartitionOutcome::committed);
    assertThat(second.outcomes().get(0).skippedBecause()).contains("concurrent");
    assertThat(dataFilesOnDisk(tmp.resolve("race"))).as("the loser deleted its files").hasSize(filesAfterFirst);
    assertEveryRowExactlyOnceWithItsValues(path, 3_000);
  }

  @Test
  void vacuumKeepsReferencedAndRecentFilesAndDeletesOldOrphans() throws Exception {
    String path = tmp.resolve("vacuum").toString();
    startJob(path, 2_000, 4_000).getJobExecutionResult().get(2, TimeUnit.MINUTES);
    Path partition = tmp.resolve("vacuum/event_date=2024-06-26");
    Path oldOrphan = partition.resolve("part-00000-orphan-old.c000.snappy.parquet");
    Path newOrphan = partition.resolve("part-00000-orphan-new.c000.snappy.parquet");
    Files.write(oldOrphan, new byte[] {1, 2, 3});
    Files.write(newOrphan, new byte[] {4, 5, 6});
    long eightDaysAgo = System.currentTimeMillis() - Duration.ofDays(8).toMillis();
    assertThat(oldOrphan.toFile().setLastModified(eightDaysAgo)).isTrue();
    // Referenced files may be old too: age alone never makes a file deletable.
    for (File f : dataFilesOnDisk(tmp.resolve("vacuum"))) {
      f.setLastModified(eightDaysAgo);
    }
    newOrphan.toFile().setLastModified(System.currentTimeMillis());
    MaintainedTable table = MaintainedTable.open(path, Map.of());
    int active = ActiveFile.list(table.engine(), table.snapshot()).size();

    assertThatThrownBy(() -> new Vacuum(table, Duration.ofDays(1), false, false))
        .hasMessageContaining("below the minimum of 7 days");
    VacuumReport dry = new Vacuum(table, Vacuum.DEFAULT_RETENTION, true, false).run();
    assertThat(dry.files()).singleElement().asString().endsWith("part-00000-orphan-old.c000.snappy.parquet");
    assertThat(oldOrphan).exists();

    VacuumReport real = new Vacuum(table, Vacuum.DEFAULT_RETENTION, false, false).run();
    assertThat(real.files()).hasSize(1);
    assertThat(oldOrphan).doesNotExist();
    assertThat(newOrphan).exists();
    assertThat(dataFilesOnDisk(tmp.resolve("vacuum"))).hasSize(active + 1);
    assertThat(DeltaTestTables.readAll(path, Collections.emptyMap())).hasSize(2_000);
  }

  @Test
  void manualCheckpointIsReadableAndManifestsCanBeRegenerated() throws Exception {
    String path = tmp.resolve("manual").toString();
    startJob(path, 1_000, 4_000).getJobExecutionResult().get(2, TimeUnit.MINUTES);
    MaintainedTable table = MaintainedTable.open(path, Map.of());
    // The sink alone (manifest.enabled) kept every partition's manifest current commit by commit.
    assertManifestsListExactlyTheActiveFiles(table);
    long version = table.checkpoint();
    assertThat(tmp.resolve("manual/_delta_log").resolve(String.format("%020d.checkpoint.parquet", version))).exists();
    assertThat(DeltaTestTables.readAll(path, Collections.emptyMap())).hasSize(1_000);

    // A stale manifest of a partition that no longer exists is removed by a full rewrite.
    Path stale = tmp.resolve("manual/_symlink_format_manifest/event_date=1999-01-01/manifest");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "file:/nowhere.parquet\n");
    assertThat(new SymlinkManifests(table).writeAll()).isEqualTo(3);
    assertThat(stale).doesNotExist();
    assertManifestsListExactlyTheActiveFiles(table);
  }

  private static void assertEveryRowExactlyOnceWithItsValues(String path, long n) {
    List<Map<String, Object>> rows = DeltaTestTables.readAll(path, Collections.emptyMap());
    Map<Long, Long> counts = rows.stream()
        .collect(Collectors.groupingBy(r -> (Long) r.get("id"), TreeMap::new, Collectors.counting()));
    assertThat(counts.values().stream().filter(c -> c != 1)).as("duplicated ids").isEmpty();
    assertThat(counts).as("every id present").hasSize((int) n);
    for (Map<String, Object> row : rows) {
      long id = (Long) row.get("id");
      RowData expected = TestStreams.event(id);
      assertThat(row.get("event_date")).isEqualTo(expected.getInt(1));
      assertThat(row.get("category")).isEqualTo(expected.getString(2).toString());
      assertThat(row.get("amount")).isEqualTo(new BigDecimal(expected.getDecimal(3, 10, 2).toBigDecimal().toPlainString()));
      assertThat(row.get("ts")).isEqualTo(expected.getTimestamp(4, 3).getMillisecond() * 1000);
    }
  }

  private static void assertManifestsListExactlyTheActiveFiles(MaintainedTable table) {
    Snapshot snapshot = table.snapshot();
    Map<String, Set<String>> expected = new HashMap<>();
    for (ActiveFile f : ActiveFile.list(table.engine(), snapshot)) {
      expected.computeIfAbsent(DeltaTables.partitionDirectory(snapshot.getPartitionColumnNames(), f.partitionValues()),
          k -> new java.util.HashSet<>()).add(f.path());
    }
    Map<String, Set<String>> actual = new HashMap<>();
    new SymlinkManifests(table).read().forEach((dir, files) -> actual.put(dir, new java.util.HashSet<>(files)));
    assertThat(actual).isEqualTo(expected);
    // Every listed path is a real file.
    actual.values().forEach(files -> files.forEach(f -> assertThat(new File(java.net.URI.create(f.replace(" ", "%20"))).exists() || new File(f.replaceFirst("^file:", "")).exists()).as(f).isTrue()));
  }

  private static List<File> dataFilesOnDisk(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !root.relativize(p).toString().startsWith("_delta_log"))
          .map(Path::toFile)
          .collect(Collectors.toList());
    }
  }
}
