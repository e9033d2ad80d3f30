package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real job's committer publishes its table's metrics where Managed Flink forwards them (group
 * {@code kinesisanalytics}, key group {@code Table} = the table's name): the freshness gauge {@code
 * deltaCommitAgeMs}, counting from the newest commit, and the in-job maintenance's file counts,
 * lag and compaction counters, once per table.
 */
class TableMetricsITCase {
  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2, REPORTER.addToConfiguration(new Configuration()));

  @TempDir Path tmp;

  @Test
  void committerPublishesTheAgeOfItsNewestCommitPerTable() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    env.enableCheckpointing(100);
    TestStreams.events(env, 2_000, 2_000).sinkTo(DeltaSink.forRowData(TestStreams.EVENTS)
        .tablePath(tmp.resolve("web_events").toString() + "/").partitionColumns("event_date")
        .sinkId("freshness").build()).name("sink").uid("sink");
    long before = System.currentTimeMillis();
    JobExecutionResult result = env.execute("freshness");
    long sinceStart = System.currentTimeMillis() - before;

    Map<String, Metric> found = REPORTER.findMetrics(result.getJobID(), TableMetrics.FRESHNESS);
    assertThat(found.keySet()).as("the freshness gauge, once per table, under Managed Flink's group")
        .singleElement().satisfies(id -> assertThat(id).endsWith(".kinesisanalytics.Table.web_events.deltaCommitAgeMs"));
    long age = ((Number) ((Gauge<?>) found.values().iterator().next()).getValue()).longValue();
    // The last commit came after the job's first checkpoints, so its age is below the job's run time.
    assertThat(age).isBetween(0L, sinceStart);
    assertThat(tmp.resolve("web_events/_delta_log/00000000000000000001.json")).exists();

    // The maintenance metrics the dashboard shows, next to the freshness gauge.
    for (String name : new String[] {"deltaActivePartitionFiles", "deltaMaxPartitionFiles", "deltaMaintenanceLagMs",
        "deltaCompactionsRun", "deltaCompactionsFailed", "deltaCompactionBytesRewritten"}) {
      assertThat(REPORTER.findMetrics(result.getJobID(), name).keySet())
          .as(name + " under the table's group").filteredOn(id -> id.contains(".kinesisanalytics.Table.web_events."))
          .hasSize(1);
    }
    Gauge<?> activeFiles = (Gauge<?>) REPORTER.findMetrics(result.getJobID(), "deltaActivePartitionFiles").entrySet()
        .stream().filter(e -> e.getKey().contains(".kinesisanalytics.Table.web_events.")).findFirst().orElseThrow().getValue();
    // The latest commit wrote at least one file into the partition it touched.
    assertThat(((Number) activeFiles.getValue()).longValue()).isPositive();
  }
}
