package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.TableName;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.awaitValue;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/** Slot hygiene: heartbeats move an idle slot, the drop-slot command, a vanished slot. */
class ReplicationHygieneITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path lake;

  private static String confirmed(Connection c, String slot) throws Exception {
    try (java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static long lsn(Connection c, String sql) throws Exception {
    try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return Lsns.parse(rs.getString(1));
    }
  }

  @Test
  void idleCapturedTableDoesNotHoldBackWalAndTheSlotCanBeDropped(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("idle");
    try (Connection c = pg.connect("idle")) {
      sql(c, "CREATE TABLE quiet (id int PRIMARY KEY)", "CREATE TABLE busy (id int PRIMARY KEY, pad text)",
          "INSERT INTO quiet VALUES (1)");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "idle", lake, "quiet", "idle_slot", Map.of());
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    JobID job = env.executeAsync("idle").getJobID();
    String table = config.tablePath(TableName.parse("quiet"));
    try (Connection c = pg.connect("idle")) {
      awaitValue("snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 1);
      // Only a table outside the publication changes: without heartbeats the slot would stay put.
      sql(c, "INSERT INTO busy SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
      long walAfterBusy = lsn(c, "SELECT pg_current_wal_lsn()");
      awaitValue("the slot to pass the busy table's WAL", Duration.ofSeconds(30), () -> {
        try {
          return Lsns.parse(confirmed(c, "idle_slot"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, confirmed -> Long.compareUnsigned(confirmed, walAfterBusy) > 0);
      assertThat(CdcTestSupport.silver(table)).hasSize(1);
    } finally {
      client.cancel(job).get();
    }
    // Retiring the job: the drop-slot command (waits for the cancelled job to release the slot).
    assertThat(CdcJob.dropSlot(config)).isTrue();
    assertThat(CdcJob.dropSlot(config)).isFalse();
  }

  @Test
  void restoredJobRefusesToRunWhenItsSlotWasDropped(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("noslot");
    try (Connection c = pg.connect("noslot")) {
      sql(c, "CREATE TABLE notes (id int PRIMARY KEY, body text)", "INSERT INTO notes VALUES (1, 'a')");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "noslot", lake, "notes", "noslot_slot", Map.of());
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    JobID job = env.executeAsync("noslot").getJobID();
    String table = config.tablePath(TableName.parse("notes"));
    awaitValue("snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 1);
    String savepoint = RestoreDrillITCase.stopWithSavepoint(client, job, lake.resolve("sp").toUri().toString());
    try (Connection c = pg.connect("noslot")) {
      sql(c, "SELECT pg_drop_replication_slot('noslot_slot')");
    }
    Configuration restore = new Configuration();
    restore.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    restore.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment again = CdcTestSupport.env(restore);
    CdcPipeline.addTo(again, config);
    JobID restored = again.executeAsync("noslot-restored").getJobID();
    org.apache.flink.runtime.jobmaster.JobResult result = client.requestJobResult(restored).get();
    assertThat(result.getSerializedThrowable()).isPresent();
    assertThat(result.getSerializedThrowable().get().getFullStringifiedStackTrace())
        .contains("Replication slot noslot_slot no longer exists");
  }

}
