package io.tributary.delta.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DeltaSink;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.S3ProxyExtension;
import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Compaction, manifests and vacuum on a table the sink wrote to S3 (in-JVM s3proxy). */
class TableMaintenanceS3ITCase {

  @RegisterExtension
  @Order(1)
  static final S3ProxyExtension S3 = new S3ProxyExtension();

  @RegisterExtension
  @Order(2)
  static final MiniClusterExtension FLINK = TestClusters.s3MiniCluster(2);

  @Test
  void compactManifestAndVacuumOnS3() throws Exception {
    String path = S3.uri("silver/maintained");
    Map<String, String> sinkOptions = new TreeMap<>();
    S3.hadoopConf().forEach((k, v) -> sinkOptions.put(DeltaSinkOptions.HADOOP_PREFIX + k, v));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    env.setParallelism(2);
    env.enableCheckpointing(200);
    TestStreams.events(env, 3_000, 3_000)
        .sinkTo(DeltaSink.forRowData(TestStreams.EVENTS).tablePath(path).partitionColumns("event_date")
            .sinkId("s3-maintenance").option("manifest.enabled", "true")
            // This test runs the maintenance itself and counts what it does.
            .option("maintenance.enabled", "false").options(sinkOptions).build())
        .uid("delta-sink");
    env.execute("s3-maintenance");

    MaintainedTable table = MaintainedTable.open(path, S3.hadoopConf());
    int filesBefore = ActiveFile.list(table.engine(), table.snapshot()).size();
    assertThat(filesBefore).isGreaterThan(3);
    CompactionReport report = new Compactor(table, CompactionSettings.builder().minInputFiles(2).build()).compact();
    assertThat(report.filesRemoved()).isEqualTo(filesBefore);
    assertThat(ActiveFile.list(table.engine(), table.snapshot())).hasSize(3);

    // Manifests (kept by the sink, refreshed by compaction) list exactly the active files, as s3://.
    Snapshot snapshot = table.snapshot();
    Map<String, Set<String>> expected = new HashMap<>();
    for (ActiveFile f : ActiveFile.list(table.engine(), snapshot)) {
      expected.computeIfAbsent(DeltaTables.partitionDirectory(snapshot.getPartitionColumnNames(), f.partitionValues()),
          k -> new HashSet<>()).add(f.path().replaceFirst("^s3a://", "s3://"));
    }
    Map<String, Set<String>> manifests = new HashMap<>();
    new SymlinkManifests(table).read().forEach((d, files) -> manifests.put(d, new HashSet<>(files)));
    assertThat(manifests).isEqualTo(expected);

    VacuumReport vacuum = new Vacuum(table, Duration.ZERO, false, true).run();
    assertThat(vacuum.files()).hasSize(filesBefore);
    assertThat(dataObjects(table)).hasSize(3);
    Map<Long, Long> counts = DeltaTestTables.readAll(path, S3.hadoopConf()).stream()
        .collect(Collectors.groupingBy(r -> (Long) r.get("id"), TreeMap::new, Collectors.counting()));
    assertThat(counts).hasSize(3_000);
    assertThat(counts.values()).allMatch(c -> c == 1L);
  }

  private static List<String> dataObjects(MaintainedTable table) throws Exception {
    FileSystem fs = table.fs();
    List<String> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(table.path()), true);
    while (it.hasNext()) {
      String p = it.next().getPath().toString();
      if (p.endsWith(".parquet") && !p.contains("/_delta_log/")) {
        out.add(p);
      }
    }
    return out;
  }
}
