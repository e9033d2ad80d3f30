package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.config.InvalidConfigurationException;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Type mapping round trip, unsupported types, ADD COLUMN without restart, tables without a key. */
class SchemaAndTypesITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path lake;

  private JobID start(CdcJobConfig config) throws Exception {
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    return env.executeAsync("cdc-" + config.slotName()).getJobID();
  }

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void everyMappedTypeRoundTrips(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("types");
    try (Connection c = pg.connect("types")) {
      sql(c,
          "CREATE TYPE mood AS ENUM ('sad', 'happy')",
          "CREATE TABLE all_types (id int PRIMARY KEY, c_smallint smallint, c_bigint bigint, c_numeric numeric(12,3),"
              + " c_numeric_free numeric, c_real real, c_double double precision, c_bool boolean, c_text text,"
              + " c_varchar varchar(20), c_char char(5), c_date date, c_ts timestamp, c_tstz timestamptz, c_time time,"
              + " c_uuid uuid, c_json json, c_jsonb jsonb, c_bytea bytea, c_enum mood, c_int_array int[], c_text_array text[])",
          "INSERT INTO all_types VALUES (1, -7, 9000000000, 12345.678, 3.14159265358979323846264338327950288419716939937510,"
              + " 1.5, 2.25, true, 'héllo', 'vc', 'ab', '2024-02-29', '2024-06-01 12:34:56.123456',"
              + " '2024-06-01 12:34:56.654321+02', '13:14:15.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": 1}',"
              + " '{\"b\": [1, 2]}', '\\xdeadbeef', 'happy', '{1,2,NULL}', '{x,y}')",
          "INSERT INTO all_types (id) VALUES (2)");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "types", lake, "all_types", "types_slot", Map.of());
    JobID job = start(config);
    String table = config.tablePath(TableName.parse("all_types"));
    try {
      awaitValue("snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 2);
      try (Connection c = pg.connect("types")) {
        sql(c, "INSERT INTO all_types SELECT 3, c_smallint, c_bigint, c_numeric, c_numeric_free, c_real, c_double, c_bool,"
            + " c_text, c_varchar, c_char, c_date, c_ts, c_tstz, c_time, c_uuid, c_json, c_jsonb, c_bytea, c_enum,"
            + " c_int_array, c_text_array FROM all_types WHERE id = 1");
      }
      List<Map<String, Object>> rows =
          awaitValue("streamed row", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 3);
      Map<Integer, Map<String, Object>> byId = rows.stream().collect(Collectors.toMap(r -> (Integer) r.get("id"), r -> r));
      for (int id : new int[] {1, 3}) {
        Map<String, Object> r = byId.get(id);
        assertThat(r.get("op")).isEqualTo(id == 1 ? "r" : "c");
        assertThat(r.get("c_smallint")).isEqualTo((short) -7);
        assertThat(r.get("c_bigint")).isEqualTo(9_000_000_000L);
        assertThat(r.get("c_numeric")).isEqualTo(new BigDecimal("12345.678"));
        assertThat(r.get("c_numeric_free")).isEqualTo("3.14159265358979323846264338327950288419716939937510");
        assertThat(r.get("c_real")).isEqualTo(1.5f);
        assertThat(r.get("c_double")).isEqualTo(2.25d);
        assertThat(r.get("c_bool")).isEqualTo(true);
        assertThat(r.get("c_text")).isEqualTo("héllo");
        assertThat(r.get("c_varchar")).isEqualTo("vc");
        assertThat(r.get("c_char")).isEqualTo("ab   ");
        assertThat(r.get("c_date")).isEqualTo((int) LocalDate.of(2024, 2, 29).toEpochDay());
        assertThat(r.get("c_ts")).isEqualTo(micros(LocalDateTime.of(2024, 6, 1, 12, 34, 56, 123_456_000).toInstant(ZoneOffset.UTC)));
        assertThat(r.get("c_tstz")).isEqualTo(micros(Instant.parse("2024-06-01T10:34:56.654321Z")));
        assertThat(r.get("c_time")).isEqualTo("13:14:15.500");
        assertThat(r.get("c_uuid")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(r.get("c_json")).isEqualTo("{\"a\": 1}");
        assertThat(r.get("c_jsonb")).isEqualTo("{\"b\": [1, 2]}");
        assertThat((byte[]) r.get("c_bytea")).containsExactly(0xde, 0xad, 0xbe, 0xef);
        assertThat(r.get("c_enum")).isEqualTo("happy");
        assertThat(r.get("c_int_array")).isEqualTo(java.util.Arrays.asList(1, 2, null));
        assertThat(r.get("c_text_array")).isEqualTo(List.of("x", "y"));
      }
      Map<String, Object> nulls = byId.get(2);
      nulls.forEach((k, v) -> {
        if (k.startsWith("c_")) {
          assertThat(v).as(k).isNull();
        }
      });
    } finally {
      client.cancel(job).get();
    }
  }

  @Test
  void unsupportedTypesFailAtStartNamingEveryColumn() throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("unsupported");
    try (Connection c = pg.connect("unsupported")) {
      sql(c, "CREATE TABLE odd (id int PRIMARY KEY, span interval, pos point, ok text)");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "unsupported", lake, "odd,missing", "odd_slot", Map.of());
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    assertThatThrownBy(() -> CdcPipeline.addTo(env, config))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("public.odd.span")
        .hasMessageContaining("interval")
        .hasMessageContaining("public.odd.pos")
        .hasMessageContaining("public.missing does not exist")
        .hasMessageNotContaining("odd.ok");
  }

  @Test
  void addedColumnAppearsWithoutRestartingTheJob(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("evolve");
    try (Connection c = pg.connect("evolve")) {
      sql(c, "CREATE TABLE customers (id int PRIMARY KEY, name text)", "INSERT INTO customers VALUES (1, 'a')");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "evolve", lake, "customers", "evolve_slot", Map.of());
    JobID job = start(config);
    String table = config.tablePath(TableName.parse("customers"));
    try {
      awaitValue("snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 1);
      try (Connection c = pg.connect("evolve")) {
        sql(c, "INSERT INTO customers VALUES (2, 'b')",
            "ALTER TABLE customers ADD COLUMN tier int",
            "INSERT INTO customers VALUES (3, 'c', 7)",
            "UPDATE customers SET tier = 1 WHERE id = 1",
            "ALTER TABLE customers ADD COLUMN note text",
            "INSERT INTO customers VALUES (4, 'd', 8, 'hi')");
      }
      List<Map<String, Object>> rows =
          awaitValue("changes after ALTER", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 5);
      assertThat(client.getJobStatus(job).get()).isEqualTo(JobStatus.RUNNING);
      assertThat(DeltaTestTables.snapshot(table, Collections.emptyMap()).getSchema().fieldNames())
          .contains("tier", "note");
      Map<Integer, List<Map<String, Object>>> byId = rows.stream().collect(Collectors.groupingBy(r -> (Integer) r.get("id")));
      assertThat(byId.get(2).get(0).get("tier")).isNull();
      assertThat(byId.get(3).get(0).get("tier")).isEqualTo(7);
      assertThat(byId.get(1)).anySatisfy(r -> assertThat(r.get("tier")).isEqualTo(1));
      assertThat(byId.get(4).get(0).get("note")).isEqualTo("hi");
      assertThat(rows).hasSize(5);
    } finally {
      client.cancel(job).get();
    }
  }

  @Test
  void tableWithoutPrimaryKeyIsCapturedAsAChangeLog(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("nokey");
    try (Connection c = pg.connect("nokey")) {
      sql(c, "CREATE TABLE events_log (msg text, n int)", "INSERT INTO events_log VALUES ('seed', 0)");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, "nokey", lake, "events_log", "nokey_slot", Map.of());
    JobID job = start(config);
    String table = config.tablePath(TableName.parse("events_log"));
    try {
      awaitValue("snapshot", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 1);
      try (Connection c = pg.connect("nokey")) {
        sql(c, "INSERT INTO events_log VALUES ('a', 1), ('b', 2)");
        // Without a key or REPLICA IDENTITY FULL PostgreSQL itself refuses UPDATE/DELETE on a
        // published table; with FULL they are captured with the whole before-image.
        assertThatThrownBy(() -> sql(c, "UPDATE events_log SET n = 5 WHERE msg = 'a'"))
            .hasMessageContaining("replica identity");
        sql(c, "ALTER TABLE events_log REPLICA IDENTITY FULL",
            "UPDATE events_log SET n = 10 WHERE msg = 'a'",
            "DELETE FROM events_log WHERE msg = 'b'");
      }
      List<Map<String, Object>> rows =
          awaitValue("changes", Duration.ofSeconds(60), () -> CdcTestSupport.silver(table), r -> r.size() >= 5);
      Map<String, Long> ops = rows.stream().collect(Collectors.groupingBy(r -> (String) r.get("op"), Collectors.counting()));
      assertThat(ops).isEqualTo(Map.of("r", 1L, "c", 2L, "u", 1L, "d", 1L));
      Map<String, Object> delete = rows.stream().filter(r -> "d".equals(r.get("op"))).findFirst().orElseThrow();
      assertThat(delete.get("msg")).isEqualTo("b");
      assertThat(delete.get("n")).isEqualTo(2);
      assertThat(new String(((String) delete.get("source_filename")).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
          .contains("/nokey/public.events_log@");
    } finally {
      client.cancel(job).get();
    }
  }
}
