package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.await;
import static io.tributary.cdc.CdcTestSupport.awaitValue;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/** Snapshot, inserts, updates and deletes of public.orders land once each, with their metadata. */
class CdcPipelineITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path lake;

  @Test
  void snapshotThenChangesLandExactlyOnceAndTheCurrentStateMatches(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("shop");
    try (Connection c = pg.connect("shop")) {
      sql(c,
          "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2), status text,"
              + " created_at timestamptz NOT NULL)",
          "ALTER TABLE orders REPLICA IDENTITY FULL",
          "INSERT INTO orders SELECT g, 'c' || g, g * 1.25, 'new', timestamptz '2024-06-01 10:00:00+00' + g * interval '1 day'"
              + " FROM generate_series(1, 5) g",
          "CREATE TABLE customers (id int PRIMARY KEY, name text)",
          "INSERT INTO customers VALUES (1, 'ann'), (2, 'bob')");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "shop", lake, "public.orders,customers", "pipeline_slot",
        Map.of("cdc.event-time-columns", "orders.created_at"));
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    JobID job = env.executeAsync("cdc-pipeline").getJobID();
    String table = config.tablePath(TableName.parse("orders"));
    try {
      awaitValue("the snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), rows -> rows.size() >= 5);
      try (Connection c = pg.connect("shop")) {
        sql(c,
            "INSERT INTO orders VALUES (6, 'c6', 7.50, 'new', '2024-07-01 23:30:00+02')",
            "UPDATE orders SET status = 'paid' WHERE id = 2",
            "DELETE FROM orders WHERE id = 3",
            "UPDATE customers SET name = 'bobby' WHERE id = 2");
        c.setAutoCommit(false);
        sql(c,
            "INSERT INTO orders VALUES (7, 'c7', 1.00, 'new', now())",
            "UPDATE orders SET amount = 99.99 WHERE id = 7",
            "UPDATE orders SET status = 'shipped' WHERE id IN (1, 2)");
        c.commit();
        c.setAutoCommit(true);
      }
      // 5 snapshot rows + 1 insert + 1 update + 1 delete + (1 insert + 1 update + 2 updates)
      List<Map<String, Object>> rows =
          awaitValue("all changes", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 12);
      Thread.sleep(1500); // a few more checkpoints: nothing else may arrive
      rows = CdcTestSupport.silver(table);
      assertThat(rows).hasSize(12);

      Map<String, Long> ops = rows.stream().collect(Collectors.groupingBy(r -> (String) r.get("op"), Collectors.counting()));
      assertThat(ops).containsEntry("r", 5L).containsEntry("c", 2L).containsEntry("u", 4L).containsEntry("d", 1L);

      Set<String> positions = new HashSet<>();
      for (Map<String, Object> r : rows) {
        assertThat(positions.add(r.get("source_commit_lsn") + "#" + r.get("source_seq"))).as("unique position").isTrue();
        assertThat(r.get("etl_timestamp")).isNotNull();
        assertThat((String) r.get("source_filename"))
            .startsWith("postgres://127.0.0.1/shop/public.orders@")
            .matches(".*@[0-9A-F]+/[0-9A-F]+");
        if (!"r".equals(r.get("op"))) {
          assertThat(r.get("source_txid")).isNotNull();
          assertThat(r.get("source_lsn")).isNotNull();
        }
        assertThat(r.get("source_commit_ts")).isNotNull();
      }
      Map<String, Object> delete = rows.stream().filter(r -> "d".equals(r.get("op"))).findFirst().orElseThrow();
      assertThat(delete.get("id")).isEqualTo(3L);
      assertThat(delete.get("is_deleted")).isEqualTo(true);
      assertThat(delete.get("customer")).as("REPLICA IDENTITY FULL: the before-image").isEqualTo("c3");
      Map<String, Object> six = rows.stream().filter(r -> Long.valueOf(6).equals(r.get("id"))).findFirst().orElseThrow();
      // created_at 2024-07-01 23:30+02 is 21:30 UTC: event_date 2024-07-01
      assertThat(six.get("event_date")).isEqualTo((int) LocalDate.of(2024, 7, 1).toEpochDay());
      assertThat(six.get("amount")).isEqualTo(new BigDecimal("7.50"));
      assertThat(six.get("is_deleted")).isEqualTo(false);
      Map<String, Object> snap1 = rows.stream().filter(r -> "r".equals(r.get("op")) && Long.valueOf(1).equals(r.get("id")))
          .findFirst().orElseThrow();
      assertThat(snap1.get("event_date")).isEqualTo((int) LocalDate.of(2024, 6, 2).toEpochDay());

      String customers = config.tablePath(TableName.parse("customers"));
      List<Map<String, Object>> customerRows =
          awaitValue("customers", Duration.ofSeconds(30), () -> CdcTestSupport.silver(customers), r -> r.size() >= 3);
      assertThat(customerRows).hasSize(3);
      assertThat(CdcTestSupport.currentState(customerRows, List.of("id")).values())
          .extracting(r -> r.get("name")).containsExactlyInAnyOrder("ann", "bobby");
      try (Connection c = pg.connect("shop")) {
        Map<List<Object>, Map<String, Object>> expected = CdcTestSupport.query(c, "SELECT id, customer, amount, status FROM orders", List.of("id"));
        Map<List<Object>, Map<String, Object>> actual = CdcTestSupport.currentState(rows, List.of("id"));
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, e) -> {
          Map<String, Object> a = actual.get(k);
          assertThat(a.get("customer")).isEqualTo(e.get("customer"));
          assertThat(a.get("amount")).isEqualTo(e.get("amount"));
          assertThat(a.get("status")).isEqualTo(e.get("status"));
        });
      }
    } finally {
      client.cancel(job).get();
      await("job cancelled", Duration.ofSeconds(30), () -> {
        try {
          return client.getJobStatus(job).get().isGloballyTerminalState();
        } catch (Exception e) {
          return true;
        }
      });
    }
  }
}
