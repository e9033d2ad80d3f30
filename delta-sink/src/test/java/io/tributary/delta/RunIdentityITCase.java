package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job started again without state under the Flink job id of an earlier run (application mode
 * with HA and no fixed job id derives it from the cluster id) must commit its checkpoints, not
 * skip them as replays of the earlier run's (issue 21, hole 2). Each run gets a cluster of its
 * own, as a redeployed application cluster does.
 */
class RunIdentityITCase {
  @TempDir Path tmp;

  private static final JobID SAME_ID = JobID.fromHexString("0000000000000000000000000000a21b");

  private void run(String table, long from, long count) throws Exception {
    Configuration conf = new Configuration();
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    env.setParallelism(2);
    env.enableCheckpointing(100);
    org.apache.flink.connector.datagen.source.GeneratorFunction<Long, org.apache.flink.table.data.RowData> ids =
        i -> TestStreams.event(from + i);
    env.fromSource(
            new org.apache.flink.connector.datagen.source.DataGeneratorSource<>(ids, count,
                org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy.perSecond(2_000),
                org.apache.flink.table.runtime.typeutils.InternalTypeInfo.of(TestStreams.EVENTS)),
            org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "events")
        .sinkTo(DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date")
            .sinkId("run-identity").build())
        .uid("delta-sink");
    JobGraph job = env.getStreamGraph().getJobGraph();
    job.setJobID(SAME_ID);
    MiniClusterConfiguration cluster = new MiniClusterConfiguration.Builder()
        .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build();
    try (MiniCluster mini = new MiniCluster(cluster)) {
      mini.start();
      mini.executeJobBlocking(job);
    }
  }

  @Test
  void aSecondRunUnderTheSameJobIdCommitsItsRows() throws Exception {
    String table = tmp.resolve("t").toString();
    run(table, 0, 4_000); // two seconds: about 20 checkpoints
    long afterFirst = DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion();
    assertThat(DeltaTestTables.readAll(table, Collections.emptyMap())).hasSize(4_000);

    run(table, 4_000, 400); // 0.2 seconds: its checkpoint ids stay below the first run's last one
    Set<Long> ids = DeltaTestTables.readAll(table, Collections.emptyMap()).stream()
        .map(r -> (Long) r.get("id")).collect(Collectors.toCollection(TreeSet::new));
    assertThat(DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion()).isGreaterThan(afterFirst);
    assertThat(ids).as("rows of both runs, once each").hasSize(4_400);
    assertThat(((TreeSet<Long>) ids).first()).isZero();
    assertThat(((TreeSet<Long>) ids).last()).isEqualTo(4_399L);
  }
}
