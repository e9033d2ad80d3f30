package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
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

/** PostgreSQL restarts under the running job: the job recovers by itself and loses nothing. */
class PostgresRestartITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path lake;

  private static void insert(EmbeddedPostgres pg, int from, int to) throws Exception {
    try (Connection c = pg.connect("restart")) {
      for (int i = from; i < to; i += 5) {
        sql(c, "INSERT INTO payments SELECT g, g * 10 FROM generate_series(" + i + ", " + (i + 4) + ") g");
      }
    }
  }

  @Test
  void jobRecoversFromAPostgresRestartWithoutLosingOrDuplicatingChanges(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("restart");
    try (Connection c = pg.connect("restart")) {
      sql(c, "CREATE TABLE payments (id int PRIMARY KEY, cents bigint)", "INSERT INTO payments VALUES (0, 0)");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "restart", lake, "payments", "restart_slot", Map.of());
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    JobID job = env.executeAsync("postgres-restart").getJobID();
    String table = config.tablePath(TableName.parse("payments"));
    try {
      awaitValue("snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 1);
      insert(pg, 1, 101);
      awaitValue("first batch", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 51);
      pg.restart();
      insert(pg, 101, 201);
      List<Map<String, Object>> rows =
          awaitValue("all rows after the restart", Duration.ofSeconds(90), () -> CdcTestSupport.silver(table), r -> r.size() >= 201);
      Thread.sleep(1500);
      rows = CdcTestSupport.silver(table);
      Map<Integer, Long> counts = rows.stream().collect(Collectors.groupingBy(r -> (Integer) r.get("id"), Collectors.counting()));
      assertThat(counts).hasSize(201);
      assertThat(counts.values()).containsOnly(1L);
      assertThat(client.getJobStatus(job).get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      client.cancel(job).get();
    }
  }
}
