package io.tributary.cdc;

import static io.tributary.cdc.CdcTestSupport.await;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse sink under a write load (inserts, updates, deletes, re-inserts of deleted keys,
 * one key updated in most transactions, an {@code ADD COLUMN} half way) while the job is stopped
 * with savepoints and restored, fails over (an operator failure, the replication connection
 * killed, the warehouse connection killed) and recovers from its last checkpoint. Source and
 * warehouse are two PostgreSQL servers.
 *
 * <p>Afterwards the warehouse's current view equals the source table row by row in every column,
 * deleted keys have tombstones only, and a trigger on the warehouse table saw no row move back to
 * an older source position, although every failover replays the changes written after the last
 * checkpoint (without the position guard that trigger fires).
 */
class WarehouseITCase {
  private static final int CYCLES = 8;
  private static final long HOT_KEY = 1000;
  private static final AtomicBoolean FAIL = new AtomicBoolean();

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
  @RegisterExtension static final PostgresExtension WAREHOUSE = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path tmp;

  /** Fails the job once when {@link #FAIL} is set. */
  static final class FailOnDemand extends ProcessFunction<SilverRow, SilverRow> {
    @Override
    public void processElement(SilverRow row, Context ctx, Collector<SilverRow> out) {
      if (FAIL.compareAndSet(true, false)) {
        throw new IllegalStateException("Injected failure at " + row);
      }
      out.collect(row);
    }
  }

  /** Commits small random transactions; after {@link #evolved} is set it also writes {@code extra}. */
  static final class Writer implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicBoolean evolved = new AtomicBoolean();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicLong committed = new AtomicLong();
    final AtomicLong deletes = new AtomicLong();
    private final EmbeddedPostgres pg;
    private final Random random = new Random(7);

    Writer(EmbeddedPostgres pg) {
      this.pg = pg;
    }

    @Override
    public void run() {
      try (Connection c = pg.connect("src")) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          int statements = 1 + random.nextInt(3);
          for (int i = 0; i < statements; i++) {
            change(c, 1 + random.nextInt(60));
          }
          if (random.nextBoolean()) {
            change(c, HOT_KEY);
          }
          c.commit();
          committed.addAndGet(statements);
          Thread.sleep(random.nextInt(10));
        }
      } catch (Throwable t) {
        error.set(t);
      }
    }

    private void change(Connection c, long id) throws SQLException {
      boolean exists;
      try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM items WHERE id = ?")) {
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
          exists = rs.next();
        }
      }
      String extra = evolved.get() ? ", extra = 'x' || v" : "";
      if (!exists) {
        update(c, "INSERT INTO items (id, v, note, amount, at, tags) VALUES (?, 0, 'new ''" + id
            + "''', 1.25, now(), ARRAY['a,b', 'q\"t', NULL])", id);
      } else if (id != HOT_KEY && random.nextInt(7) == 0) {
        update(c, "DELETE FROM items WHERE id = ?", id);
        deletes.incrementAndGet();
      } else {
        update(c, "UPDATE items SET v = v + 1, note = md5(random()::text), amount = amount + 0.5, at = now(), "
            + "tags = tags || (v + 1)::text" + extra + " WHERE id = ?", id);
      }
    }

    private static void update(Connection c, String sql, long id) throws SQLException {
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setLong(1, id);
        st.executeUpdate();
      }
    }
  }

  @Test
  void warehouseEqualsSourceAfterRestoresAndFailovers(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    EmbeddedPostgres wh = WAREHOUSE.server();
    pg.createDatabase("src");
    wh.createDatabase("dwh");
    try (Connection c = pg.connect("src")) {
      sql(c, "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL, note text, amount numeric(12,2), "
              + "at timestamptz, tags text[])",
          "ALTER TABLE items REPLICA IDENTITY FULL",
          "INSERT INTO items SELECT g, 0, 'seed', 0, now(), '{}' FROM generate_series(1, 20) g",
          "INSERT INTO items VALUES (" + HOT_KEY + ", 0, 'hot', 0, now(), '{}')");
    }
    Map<String, String> extra = new HashMap<>();
    extra.put("warehouse.tables", "public.items");
    extra.put("warehouse.url", "jdbc:postgresql://127.0.0.1:" + wh.port() + "/dwh");
    extra.put("warehouse.user", EmbeddedPostgres.SUPERUSER);
    extra.put("warehouse.schema", "analytics");
    // Small batches written between checkpoints: every failover replays changes already written.
    extra.put("warehouse.batch.size", "20");
    extra.put("warehouse.batch.interval", "50ms");
    CdcJobConfig config = CdcTestSupport.config(pg, "src", tmp.resolve("lake"), "items", "wh_slot", extra);

    Writer writer = new Writer(pg);
    Thread writerThread = new Thread(writer, "warehouse-writer");
    JobID job = start(client, config, null);
    installRegressionTrigger(wh);
    awaitEqual(pg, wh, false);
    writerThread.start();
    int savepoints = 0;
    int failures = 0;
    try {
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        if (cycle == 2) {
          try (Connection c = pg.connect("src")) {
            sql(c, "ALTER TABLE items ADD COLUMN extra text");
          }
          writer.evolved.set(true);
        }
        Thread.sleep(900);
        switch (cycle % 4) {
          case 1:
            if (writer.evolved.get() && savepoints == 1) {
              // The running job (not a new one reading the catalog) adds the column.
              await("column extra in the warehouse table", Duration.ofSeconds(60), () -> hasColumn(wh, "extra"));
            }
            String savepoint = RestoreDrillITCase.stopWithSavepoint(client, job, tmp.resolve("savepoints").toUri().toString());
            savepoints++;
            long before = writer.committed.get();
            await("writes during the downtime", Duration.ofSeconds(20), () -> writer.committed.get() >= before + 5);
            job = start(client, config, savepoint);
            break;
          case 2:
            FAIL.set(true);
            failures++;
            break;
          case 3:
            terminate(pg, "src", "application_name <> 'warehouse-check' AND backend_type = 'walsender'");
            failures++;
            break;
          default:
            terminate(wh, "dwh", "application_name = 'tributary-warehouse-sink'");
            failures++;
            break;
        }
        assertThat(writer.error.get()).as("writer").isNull();
      }
    } finally {
      writer.stop.set(true);
      writerThread.join(10_000);
    }
    assertThat(writer.error.get()).as("writer").isNull();
    try {
      awaitEqual(pg, wh, true);
    } finally {
      client.cancel(job).get();
    }
    System.out.printf("Warehouse drill: %d cycles (%d savepoint restores, %d failovers), %d changes, %d deletes%n",
        CYCLES, savepoints, failures, writer.committed.get(), writer.deletes.get());

    try (Connection w = wh.connect("dwh")) {
      assertThat(rows(w, "SELECT old_lsn, old_seq, new_lsn, new_seq, id FROM regressions")).as("rows moved back in time")
          .isEmpty();
      Map<String, String> source;
      try (Connection c = pg.connect("src")) {
        source = rows(c, "SELECT id FROM items");
      }
      Map<String, String> tombstones = rows(w, "SELECT id FROM analytics.items WHERE _deleted");
      assertThat(tombstones).as("deleted keys").isNotEmpty();
      assertThat(tombstones.keySet()).doesNotContainAnyElementsOf(source.keySet());
      assertThat(rows(w, "SELECT id FROM analytics.items WHERE _deleted AND (v IS NOT NULL OR note IS NOT NULL)"))
          .as("tombstones carry only the key").isEmpty();
    }
  }

  private static JobID start(ClusterClient<?> client, CdcJobConfig config, String savepoint) throws Exception {
    Configuration conf = new Configuration();
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = CdcTestSupport.env(conf);
    CdcPipeline.addTo(env, config)
        .process(new FailOnDemand()).uid("fail-on-demand").setParallelism(1)
        .sinkTo(new DiscardingSink<>()).uid("discard").setParallelism(1);
    JobID job = env.executeAsync("warehouse-drill").getJobID();
    CdcTestSupport.awaitRunning(client, job);
    return job;
  }

  private static boolean hasColumn(EmbeddedPostgres wh, String column) {
    try (Connection c = wh.connect("dwh"); PreparedStatement st = c.prepareStatement(
        "SELECT 1 FROM information_schema.columns WHERE table_schema = 'analytics' AND table_name = 'items' "
            + "AND column_name = ?")) {
      st.setString(1, column);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Records every update of a warehouse row to an older source position. */
  private static void installRegressionTrigger(EmbeddedPostgres wh) throws SQLException {
    try (Connection c = wh.connect("dwh")) {
      sql(c, "CREATE TABLE regressions (id bigint, old_lsn bigint, old_seq bigint, new_lsn bigint, new_seq bigint)",
          "CREATE FUNCTION record_regression() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
              + "IF (NEW.source_commit_lsn, NEW.source_seq) < (OLD.source_commit_lsn, OLD.source_seq) THEN "
              + "INSERT INTO regressions VALUES (OLD.id, OLD.source_commit_lsn, OLD.source_seq, "
              + "NEW.source_commit_lsn, NEW.source_seq); END IF; RETURN NEW; END $$",
          "CREATE TRIGGER regression BEFORE UPDATE ON analytics.items FOR EACH ROW EXECUTE FUNCTION record_regression()");
    }
  }

  /** Waits until the warehouse's current view equals the source table in every column. */
  private static void awaitEqual(EmbeddedPostgres pg, EmbeddedPostgres wh, boolean withExtra) throws Exception {
    String columns = "id, v, note, amount::text, at::text, tags::text" + (withExtra ? ", extra" : "");
    AtomicReference<String> diff = new AtomicReference<>();
    try {
      CdcTestSupport.awaitValue("warehouse equal to source", Duration.ofSeconds(120), () -> {
        try (Connection c = pg.connect("src"); Connection w = wh.connect("dwh")) {
          Map<String, String> source = rows(c, "SELECT " + columns + " FROM items");
          Map<String, String> target = rows(w, "SELECT " + columns + " FROM analytics.items_current");
          diff.set(difference(source, target));
          return diff.get();
        } catch (SQLException e) {
          return e.toString();
        }
      }, String::isEmpty);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; difference: " + diff.get(), e);
    }
  }

  private static String difference(Map<String, String> source, Map<String, String> target) {
    List<String> out = new ArrayList<>();
    source.forEach((id, row) -> {
      if (!row.equals(target.get(id))) {
        out.add("source " + row + " warehouse " + target.get(id));
      }
    });
    target.keySet().stream().filter(id -> !source.containsKey(id)).forEach(id -> out.add("extra " + target.get(id)));
    return out.size() > 5 ? out.subList(0, 5) + " and " + (out.size() - 5) + " more" : String.join("; ", out);
  }

  /** Rows by their first column, each as the text of all its columns. */
  private static Map<String, String> rows(Connection c, String query) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          values.add(md.getColumnName(i) + "=" + rs.getString(i));
        }
        out.put(rs.getString(1), String.join(", ", values));
      }
    }
    return out;
  }

  private static void terminate(EmbeddedPostgres server, String database, String where) throws Exception {
    try (Connection c = server.connect("postgres")) {
      await("a connection to terminate", Duration.ofSeconds(20), () -> {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                + database + "' AND pid <> pg_backend_pid() AND " + where)) {
          return rs.next();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }
}
