package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.CapturingMetricGroup;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.S3ProxyExtension;
import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink against S3 (an in-JVM s3proxy on 127.0.0.1) with the conditional-write LogStore. */
class DeltaSinkS3ITCase {
  @RegisterExtension
  @Order(1)
  static final S3ProxyExtension S3 = new S3ProxyExtension();

  @RegisterExtension
  @Order(2)
  static final MiniClusterExtension FLINK = TestClusters.s3MiniCluster(3);

  @BeforeEach
  void reset() {
    TestStreams.FailOnce.reset();
  }

  private DeltaSink sink(String table) {
    return DeltaSink.forRowData(TestStreams.EVENTS)
        .tablePath(table)
        .partitionColumns("event_date")
        .sinkId("s3-it")
        .options(prefixed(S3.hadoopConf()))
        .build();
  }

  private static Map<String, String> prefixed(Map<String, String> hadoop) {
    Map<String, String> out = new TreeMap<>();
    hadoop.forEach((k, v) -> out.put(DeltaSinkOptions.HADOOP_PREFIX + k, v));
    return out;
  }

  @Test
  void failureAndRestartOnS3WritesEveryRowExactlyOnce() throws Exception {
    String table = S3.uri("silver/events");
    long n = 6_000;
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(300);
    TestStreams.failOnce(TestStreams.events(env, n, 2_000), 2_000).sinkTo(sink(table)).uid("delta-sink");
    env.execute("s3-failover");

    assertThat(TestStreams.FailOnce.FAILED).isTrue();
    TreeMap<Long, Long> counts =
        DeltaTestTables.readAll(table, S3.hadoopConf()).stream()
            .collect(Collectors.groupingBy(r -> (Long) r.get("id"), TreeMap::new, Collectors.counting()));
    assertThat(counts.values()).allMatch(c -> c == 1L);
    assertThat(counts).hasSize((int) n);
    assertThat(counts.firstKey()).isZero();
    assertThat(counts.lastKey()).isEqualTo(n - 1);
  }

  @Test
  void zombieCommitterOnS3IsRejectedWithoutCorruptingTheLog() throws Exception {
    String table = S3.uri("silver/zombie");
    DeltaSink sink = sink(table);
    // Two committers race with different checkpoints of the same job, then with the same one.
    DeltaCommitter live = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    DeltaCommitter zombie = new DeltaCommitter(sink.config(), new CapturingMetricGroup());
    DeltaCommittable c1 = new DeltaCommittable("s3-it", "job", 1, SinkParts.writeEvents(sink, 0, 100));
    DeltaCommittable c2 = new DeltaCommittable("s3-it", "job", 2, SinkParts.writeEvents(sink, 100, 200));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        DeltaCommittable c = round == 0 ? c1 : c2;
        Future<Boolean> a = pool.submit(() -> live.commit(c));
        Future<Boolean> b = pool.submit(() -> zombie.commit(c));
        List<Boolean> outcomes = List.of(a.get(), b.get());
        if (round < 2) {
          assertThat(outcomes).as("round %d: exactly one committer wins", round).containsExactlyInAnyOrder(true, false);
        } else {
          assertThat(outcomes).as("a replay commits nothing").containsExactly(false, false);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    List<Map<String, Object>> rows = DeltaTestTables.readAll(table, S3.hadoopConf());
    assertThat(rows).hasSize(200);
    assertThat(rows.stream().map(r -> (Long) r.get("id")).distinct().count()).isEqualTo(200);
    // Version 0 creates the table, 1 and 2 are the two checkpoints: no lost or doubled commit.
    assertThat(DeltaTestTables.snapshot(table, S3.hadoopConf()).getVersion()).isEqualTo(2);
  }
}
