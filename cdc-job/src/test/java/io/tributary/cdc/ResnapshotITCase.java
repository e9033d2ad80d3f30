package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.await;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job stopped without a savepoint and started again without state takes a new snapshot. Rows
 * deleted in between must not stay in the current state: after the re-snapshot, {@code
 * <table>_current} (the documented view, evaluated on the silver table) equals the PostgreSQL
 * table row by row, for a single-column and a composite text key, and stays equal as changes
 * stream on.
 */
class ResnapshotITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path tmp;

  @Test
  void aNewSnapshotLeavesTheCurrentStateEqualToPostgres(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("resnap");
    try (Connection c = pg.connect("resnap")) {
      sql(c, "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL, note text)",
          "INSERT INTO items SELECT g, 0, 'seed ' || g FROM generate_series(1, 30) g",
          "CREATE TABLE tags (k text, n int, val text, PRIMARY KEY (k, n))",
          "INSERT INTO tags SELECT 'k' || (g % 3), g, 'v' || g FROM generate_series(1, 12) g");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "resnap", tmp.resolve("lake"), "items,tags", "resnap_slot", Map.of());
    String items = config.tablePath(TableName.parse("items"));
    String tags = config.tablePath(TableName.parse("tags"));

    JobID job = start(client, config);
    try (Connection c = pg.connect("resnap")) {
      sql(c, "INSERT INTO items VALUES (31, 0, 'streamed'), (32, 0, 'streamed')", "UPDATE items SET v = 1 WHERE id <= 5",
          "DELETE FROM tags WHERE n = 1");
    }
    awaitCurrentEqualsPostgres(pg, items, tags);
    // Stopped without a savepoint; the state is thrown away.
    client.cancel(job).get();
    await("job cancelled", Duration.ofSeconds(30), () -> status(client, job) == JobStatus.CANCELED);

    try (Connection c = pg.connect("resnap")) {
      sql(c, "DELETE FROM items WHERE id IN (2, 7, 31)", "DELETE FROM items WHERE id BETWEEN 20 AND 24",
          "UPDATE items SET v = 9, note = 'changed while stopped' WHERE id IN (3, 8)",
          "INSERT INTO items VALUES (40, 4, 'new while stopped')",
          "DELETE FROM tags WHERE k = 'k2'", "UPDATE tags SET val = 'changed' WHERE k = 'k0' AND n = 3");
    }
    JobID second = start(client, config);
    try {
      awaitCurrentEqualsPostgres(pg, items, tags);
      List<Map<String, Object>> deletes = CdcTestSupport.silver(items).stream()
          .filter(r -> "d".equals(r.get("op"))).collect(Collectors.toList());
      assertThat(deletes.stream().map(r -> r.get("id")).collect(Collectors.toSet()))
          .as("the re-snapshot deleted exactly the keys gone from PostgreSQL")
          .containsExactlyInAnyOrder(2L, 7L, 31L, 20L, 21L, 22L, 23L, 24L);

      // Streaming goes on after the re-snapshot's deletes, and a deleted key can come back.
      try (Connection c = pg.connect("resnap")) {
        sql(c, "INSERT INTO items VALUES (2, 2, 'back again')", "DELETE FROM items WHERE id = 40",
            "UPDATE items SET v = v + 1 WHERE id = 1", "INSERT INTO tags VALUES ('k2', 2, 'back')");
      }
      awaitCurrentEqualsPostgres(pg, items, tags);
    } finally {
      client.cancel(second).get();
    }
  }

  private static void awaitCurrentEqualsPostgres(EmbeddedPostgres pg, String items, String tags) throws Exception {
    compare(pg, items, "SELECT id, v, note FROM items", List.of("id"), List.of("id", "v", "note"));
    compare(pg, tags, "SELECT k, n, val FROM tags", List.of("k", "n"), List.of("k", "n", "val"));
  }

  private static void compare(EmbeddedPostgres pg, String table, String query, List<String> key, List<String> columns)
      throws Exception {
    Map<String, Map<String, Object>> expected;
    try (Connection c = pg.connect("resnap")) {
      expected = project(CdcTestSupport.query(c, query, key), columns);
    }
    Map<String, Map<String, Object>> actual = CdcTestSupport.awaitValue(table + "_current equal to PostgreSQL",
        Duration.ofSeconds(60), () -> project(CdcTestSupport.currentState(CdcTestSupport.silver(table), key), columns),
        expected::equals);
    assertThat(actual).isEqualTo(expected);
  }

  private static Map<String, Map<String, Object>> project(Map<List<Object>, Map<String, Object>> rows, List<String> columns) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    rows.forEach((k, r) -> {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String c : columns) {
        row.put(c, r.get(c));
      }
      out.put(k.toString(), row);
    });
    return out;
  }

  private static JobID start(ClusterClient<?> client, CdcJobConfig config) throws Exception {
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config).sinkTo(new DiscardingSink<>()).uid("discard").setParallelism(1);
    JobID job = env.executeAsync("resnapshot").getJobID();
    await("job running", Duration.ofSeconds(30), () -> status(client, job) == JobStatus.RUNNING);
    return job;
  }

  private static JobStatus status(ClusterClient<?> client, JobID job) {
    try {
      return client.getJobStatus(job).get();
    } catch (Exception e) {
      return null;
    }
  }
}
