package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestClusters;
import io.tributary.delta.testing.TestStreams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update-then-rollback path of Managed Flink: a job is stopped with a snapshot (the update),
 * the new version is restored from it and commits, then the application is rolled back to that
 * same snapshot. The restored run is a new run, so the committer's same-run check cannot see it;
 * the sink's run lineage ({@link RunLineage}) must, and refuse unless accepted. Restores from the
 * newest state, and a job started afresh on the same table and then restored, must still start.
 */
class RollbackAcrossRunsITCase {
  @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path tmp;

  private static final long ROWS = 1_000_000; // never reached: every run is stopped

  @Test
  void aRollbackToASnapshotAfterWhichARestoredRunCommittedIsRefused(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    String table = tmp.resolve("t").toString();
    String savepoints = tmp.resolve("savepoints").toUri().toString();

    JobID a = start(client, table, null, Map.of());
    awaitVersionAfter(table, -1, 3);
    String update = client.stopWithSavepoint(a, false, savepoints, SavepointFormatType.CANONICAL).get();

    // The new version, restored from the update's snapshot, commits more checkpoints.
    JobID b = start(client, table, update, Map.of());
    awaitVersionAfter(table, version(table), 3);
    String latest = client.stopWithSavepoint(b, false, savepoints, SavepointFormatType.CANONICAL).get();
    long versionBeforeRollback = version(table);

    // The rollback to the update's snapshot: refused, and nothing committed.
    JobID rollback = start(client, table, update, Map.of());
    String failure = TestClusters.failureOf(client, rollback);
    assertThat(failure)
        .contains(OlderCheckpointRestoredException.class.getName())
        .contains("of a later run restored from this job's state")
        .contains(DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT.key() + "=true");
    assertThat(version(table)).as("the refused run commits nothing").isEqualTo(versionBeforeRollback);

    // The newest snapshot restores as always.
    JobID resumed = start(client, table, latest, Map.of());
    awaitVersionAfter(table, versionBeforeRollback, 2);
    cancel(client, resumed);

    // A job started without state on the same table (checkpoint ids from 1 again, below the first
    // lineage's), stopped and restored: its own lineage has no later run, so it starts.
    JobID fresh = start(client, table, null, Map.of());
    awaitVersionAfter(table, version(table), 2);
    String freshSavepoint = client.stopWithSavepoint(fresh, false, savepoints, SavepointFormatType.CANONICAL).get();
    JobID freshRestored = start(client, table, freshSavepoint, Map.of());
    awaitVersionAfter(table, version(table), 2);
    cancel(client, freshRestored);

    // The operator accepts the rollback's rewrite explicitly.
    JobID accepted = start(client, table, update, Map.of(DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT.key(), "true"));
    awaitVersionAfter(table, version(table), 2);
    assertThat(client.getJobStatus(accepted).get()).isEqualTo(JobStatus.RUNNING);
    cancel(client, accepted);
  }

  private JobID start(ClusterClient<?> client, String table, String savepoint, Map<String, String> sinkOptions)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(200);
    DeltaSink.Builder sink = DeltaSink.forRowData(TestStreams.EVENTS).tablePath(table).partitionColumns("event_date")
        .sinkId("rollback-sink");
    sinkOptions.forEach(sink::option);
    TestStreams.events(env, ROWS, 500).sinkTo(sink.build()).uid("delta-sink");
    return env.executeAsync("rollback-across-runs").getJobID();
  }

  /** Cancels and waits until the job ended: its writers must not write into the temporary folder after the test. */
  private static void cancel(ClusterClient<?> client, JobID job) throws Exception {
    client.cancel(job).get();
    client.requestJobResult(job).get(60, TimeUnit.SECONDS);
  }

  private static long version(String table) {
    return DeltaTestTables.snapshot(table, Collections.emptyMap()).getVersion();
  }

  /** Waits until the table has {@code commits} more versions than {@code after}. */
  private static void awaitVersionAfter(String table, long after, int commits) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (version(table) >= after + commits) {
          return;
        }
      } catch (RuntimeException notYet) {
        // no table yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("table " + table + " did not reach version " + (after + commits));
  }
}
