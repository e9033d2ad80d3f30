package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.cdc.source.SlotAheadOfStateException;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore from an older savepoint than the latest (what Managed Flink's automatic rollback
 * does) while the replication slot has moved on: the job must refuse to start and say why, and
 * start only when the operator accepts it explicitly.
 */
class RollbackITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path tmp;

  @Test
  void restoreFromAnOlderSavepointIsRefusedUnlessAccepted(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("rollback");
    try (Connection c = pg.connect("rollback")) {
      sql(c, "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL)",
          "INSERT INTO items SELECT g, 0 FROM generate_series(1, 5) g");
    }
    Path lake = tmp.resolve("lake");
    CdcJobConfig config = CdcTestSupport.config(pg, "rollback", lake, "items", "rollback_slot", Map.of());
    String table = config.tablePath(TableName.parse("items"));
    String savepoints = tmp.resolve("savepoints").toUri().toString();

    JobID job = start(client, config, null, false);
    awaitRows(table, 5);
    String older = RestoreDrillITCase.stopWithSavepoint(client, job, savepoints);
    long slotAtOlder = slotLsn(pg);

    job = start(client, config, older, false);
    CdcTestSupport.awaitValue("the slot confirmed past the older savepoint", Duration.ofSeconds(30),
        () -> slotLsn(pg), lsn -> Long.compareUnsigned(lsn, slotAtOlder) > 0);
    try (Connection c = pg.connect("rollback")) {
      sql(c, "INSERT INTO items SELECT g, 1 FROM generate_series(6, 10) g");
    }
    awaitRows(table, 10);
    // Stopped at once: the silver table usually holds changes the slot has not confirmed yet (the
    // source confirms them after the sink's commit), which the accepting restore must not write again.
    client.cancel(job).get();
    long slotNow = slotLsn(pg);
    long newestInSilver = CdcTestSupport.silver(table).stream()
        .mapToLong(r -> ((Number) r.get("source_commit_lsn")).longValue()).max().orElseThrow();
    System.out.printf("RollbackITCase: slot at %s, newest commit in silver %s%n", Lsns.format(slotNow),
        Lsns.format(newestInSilver));

    // The rollback: the older savepoint again.
    JobID refused = start(client, config, older, true);
    String failure = TestClusters.failureOf(client, refused);
    // Two checks refuse the rollback, and which one fails the job first is a race: the source's
    // (the slot is past the restored position) or the sink's (the table holds a later checkpoint of
    // this job's lineage). Either one names the cdc-job's option that accepts it.
    assertThat(failure).contains("cdc.restore.accept-slot-ahead=true");
    if (failure.contains(SlotAheadOfStateException.class.getName())) {
      assertThat(failure).contains("Restored state is older than replication slot rollback_slot")
          .contains(Lsns.format(slotNow));
    } else {
      assertThat(failure).contains(io.tributary.delta.OlderCheckpointRestoredException.class.getName())
          .contains("is older than what Delta table");
    }
    assertThat(slotLsn(pg)).as("the refused job leaves the slot where it was").isEqualTo(slotNow);

    // The operator checked that the silver table holds every change and accepts the rollback.
    Map<String, String> accept = new HashMap<>();
    accept.put("cdc.restore.accept-slot-ahead", "true");
    CdcJobConfig accepting = CdcTestSupport.config(pg, "rollback", lake, "items", "rollback_slot", accept);
    job = start(client, accepting, older, false);
    try (Connection c = pg.connect("rollback")) {
      sql(c, "INSERT INTO items VALUES (11, 2)", "UPDATE items SET v = 3 WHERE id = 1");
    }
    try {
      awaitRows(table, 12);
      Thread.sleep(1500); // more checkpoints: nothing else may arrive
    } finally {
      client.cancel(job).get();
    }
    List<Map<String, Object>> rows = CdcTestSupport.silver(table);
    Set<String> positions = new HashSet<>();
    for (Map<String, Object> r : rows) {
      assertThat(positions.add(r.get("source_commit_lsn") + "#" + r.get("source_seq"))).as("duplicate " + r).isTrue();
    }
    assertThat(rows).hasSize(12);
  }

  private static JobID start(ClusterClient<?> client, CdcJobConfig config, String savepoint, boolean expectFailure)
      throws Exception {
    Configuration conf = new Configuration();
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = CdcTestSupport.env(conf);
    CdcPipeline.addTo(env, config).sinkTo(new DiscardingSink<>()).uid("discard").setParallelism(1);
    JobID job = env.executeAsync("rollback").getJobID();
    if (!expectFailure) {
      CdcTestSupport.awaitRunning(client, job);
    }
    return job;
  }

  private static long slotLsn(EmbeddedPostgres pg) {
    try (Connection c = pg.connect("rollback")) {
      return ReplicationAdmin.confirmedFlushLsn(c, "rollback_slot").orElse(0L);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitRows(String table, long n) throws InterruptedException {
    CdcTestSupport.awaitValue(n + " rows in " + table, Duration.ofSeconds(90),
        () -> CdcTestSupport.silver(table).size(), size -> size >= n);
  }
}
