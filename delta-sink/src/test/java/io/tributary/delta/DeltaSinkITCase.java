package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sink in real Flink jobs on a MiniCluster, writing to the local file system. */
class DeltaSinkITCase {
  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(4);

  @TempDir Path tmp;

  @BeforeEach
  void reset() {
    TestStreams.FailOnce.reset();
  }

  private static StreamExecutionEnvironment env(int parallelism, Configuration extra) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(200);
    return env;
  }

  private DeltaSink sink(String table) {
    return DeltaSink.forRowData(TestStreams.EVENTS)
        .tablePath(table)
        .partitionColumns("event_date")
        .sinkId("it-sink")
        .build();
  }

  /** id to how often it appears in the table. */
  private static Map<Long, Long> idCounts(String table) {
    return DeltaTestTables.readAll(table, Collections.emptyMap()).stream()
        .collect(Collectors.groupingBy(r -> (Long) r.get("id"), TreeMap::new, Collectors.counting()));
  }

  private static void assertExactlyOnce(String table, long n) {
    Map<Long, Long> counts = idCounts(table);
    Map<Long, Long> duplicated =
        counts.entrySet().stream().filter(e -> e.getValue() != 1).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(duplicated).as("ids written more than once").isEmpty();
    List<Long> missing = Stream.iterate(0L, i -> i + 1).limit(n).filter(i -> !counts.containsKey(i)).limit(20).collect(Collectors.toList());
    assertThat(missing).as("ids missing (first 20)").isEmpty();
    assertThat(counts).hasSize((int) n);
  }

  @Test
  void appendsPartitionedRowsThatKernelReadsBack() throws Exception {
    String table = tmp.resolve("events").toString();
    StreamExecutionEnvironment env = env(2, new Configuration());
    // No uid on purpose: the sink must work without one.
    TestStreams.events(env, 3_000, 3_000).sinkTo(sink(table));
    env.execute("append");

    List<Map<String, Object>> rows = DeltaTestTables.readAll(table, Collections.emptyMap());
    assertThat(rows).hasSize(3_000);
    Map<String, Object> row7 = rows.stream().filter(r -> (Long) r.get("id") == 7L).findFirst().orElseThrow();
    assertThat(row7.get("event_date")).isEqualTo(TestStreams.FIRST_DAY + 1);
    assertThat(row7.get("category")).isEqualTo("cat-0");
    assertThat(row7.get("amount")).isEqualTo(new java.math.BigDecimal("0.07"));
    assertThat(row7.get("ts")).isEqualTo((1_719_446_400_000L + 7) * 1000);

    Snapshot snapshot = DeltaTestTables.snapshot(table, Collections.emptyMap());
    assertThat(snapshot.getPartitionColumnNames()).containsExactly("event_date");
    assertThat(snapshot.getProtocol().getMinReaderVersion()).isEqualTo(1);
    assertThat(snapshot.getProtocol().getMinWriterVersion()).isEqualTo(2);
    // Hive-style partition directories, one per day, and no partition column inside the files.
    try (Stream<Path> dirs = Files.list(tmp.resolve("events"))) {
      assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("event_date=")))
          .containsExactlyInAnyOrder("event_date=2024-06-26", "event_date=2024-06-27", "event_date=2024-06-28");
    }
  }

  @Test
  void injectedFailureAndRestartWritesEveryRowExactlyOnce() throws Exception {
    String table = tmp.resolve("failover").toString();
    long n = 12_000;
    StreamExecutionEnvironment env = env(3, new Configuration());
    TestStreams.failOnce(TestStreams.events(env, n, 3_000), 4_000)
        .sinkTo(sink(table))
        .uid("delta-sink");
    env.execute("failover");

    assertThat(TestStreams.FailOnce.FAILED).as("the failure was injected").isTrue();
    assertExactlyOnce(table, n);
    assertThat(DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion())
        .as("one commit per checkpoint, several checkpoints")
        .isGreaterThan(3);
  }

  @Test
  void stopWithSavepointAndRestoreWritesEveryRowExactlyOnce(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    String table = tmp.resolve("savepoint").toString();
    long n = 20_000;
    // First run: stopped with a savepoint part-way.
    StreamExecutionEnvironment first = env(2, new Configuration());
    TestStreams.events(first, n, 2_000).sinkTo(sink(table)).uid("delta-sink");
    JobID job = first.executeAsync("before-savepoint").getJobID();
    waitForVersion(table, 3, Duration.ofSeconds(60));
    String savepoint =
        client
            .stopWithSavepoint(job, false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get();
    long committedBefore = idCounts(table).size();
    assertThat(committedBefore).isGreaterThan(0).isLessThan(n);

    // Second run: a new job restored from the savepoint.
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = env(2, restore);
    TestStreams.events(second, n, 20_000).sinkTo(sink(table)).uid("delta-sink");
    second.execute("after-savepoint");

    assertExactlyOnce(table, n);
  }

  private static void waitForVersion(String table, long version, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion() >= version) {
          return;
        }
      } catch (RuntimeException notYet) {
        // table not created yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("table " + table + " did not reach version " + version);
  }
}
