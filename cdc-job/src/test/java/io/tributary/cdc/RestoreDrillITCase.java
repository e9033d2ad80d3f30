package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.TableName;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.await;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restore drill: while a writer keeps changing the source table, the job is repeatedly
 * stopped with a savepoint (with writes during the downtime) and restored, or failed mid-stream
 * (its replication connection killed, or an operator failing) and recovered from its last
 * checkpoint. Afterwards every change must be in the silver table exactly once, in order: per
 * primary key, the sequence of (op, value) read back ordered by source position equals the
 * sequence the writer committed. This is the scenario in which flink-connector-postgres-cdc 3.5.0
 * loses the first change after a restore (FLINK-39265).
 */
class RestoreDrillITCase {
  private static final int CYCLES = 12;
  private static final AtomicBoolean FAIL = new AtomicBoolean();

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path tmp;

  /** Fails the job once when {@link #FAIL} is set (injected failure between checkpoints). */
  static final class FailOnDemand extends ProcessFunction<SilverRow, SilverRow> {
    @Override
    public void processElement(SilverRow row, Context ctx, Collector<SilverRow> out) {
      if (FAIL.compareAndSet(true, false)) {
        throw new IllegalStateException("Injected failure at " + row);
      }
      out.collect(row);
    }
  }

  /** Commits small random transactions and records, per id, the changes in commit order. */
  static final class Writer implements Runnable {
    final Map<Long, List<String>> changes = Collections.synchronizedMap(new TreeMap<>());
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    volatile long committed;
    private final EmbeddedPostgres pg;
    private final Random random = new Random(42);

    Writer(EmbeddedPostgres pg) {
      this.pg = pg;
    }

    @Override
    public void run() {
      try (Connection c = pg.connect("drill")) {
        c.setAutoCommit(false);
        while (!stop.get()) {
          int statements = 1 + random.nextInt(3);
          List<long[]> pending = new ArrayList<>();
          Map<Long, List<String>> txn = new TreeMap<>();
          for (int i = 0; i < statements; i++) {
            long id = 1 + random.nextInt(60);
            apply(c, id, txn);
          }
          c.commit();
          txn.forEach((id, ops) -> changes.computeIfAbsent(id, k -> new ArrayList<>()).addAll(ops));
          committed += txn.values().stream().mapToInt(List::size).sum();
          Thread.sleep(random.nextInt(15));
        }
      } catch (Throwable t) {
        error.set(t);
      }
    }

    private void apply(Connection c, long id, Map<Long, List<String>> txn) throws SQLException {
      Integer v = null;
      try (PreparedStatement st = c.prepareStatement("SELECT v FROM items WHERE id = ?")) {
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            v = rs.getInt(1);
          }
        }
      }
      String sql;
      String change;
      if (v == null) {
        sql = "INSERT INTO items (id, v, note) VALUES (?, 0, repeat('x', 10))";
        change = "c:0";
      } else if (random.nextInt(8) == 0) {
        sql = "DELETE FROM items WHERE id = ?";
        change = "d";
      } else {
        sql = "UPDATE items SET v = v + 1 WHERE id = ?";
        change = "u:" + (v + 1);
      }
      try (PreparedStatement st = c.prepareStatement(sql)) {
        st.setLong(1, id);
        st.executeUpdate();
      }
      txn.computeIfAbsent(id, k -> new ArrayList<>()).add(change);
    }
  }

  @Test
  void everyChangeLandsExactlyOnceAcrossSavepointsAndFailures(@InjectClusterClient ClusterClient<?> client) throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("drill");
    try (Connection c = pg.connect("drill")) {
      sql(c, "CREATE TABLE items (id bigint PRIMARY KEY, v int NOT NULL, note text)",
          "INSERT INTO items SELECT g, 0, 'seed' FROM generate_series(1, 20) g");
    }
    // Delta log checkpoints every 3 commits: failovers in the drill also interrupt committers
    // while they write one, which must not leave the table unreadable.
    CdcJobConfig config = CdcTestSupport.config(pg, "drill", tmp.resolve("lake"), "items", "drill_slot",
        Map.of("sink.log.checkpoint-interval", "3"));
    String table = config.tablePath(TableName.parse("items"));
    Writer writer = new Writer(pg);
    for (long id = 1; id <= 20; id++) {
      writer.changes.put(id, new ArrayList<>(List.of("r:0")));
    }
    Thread writerThread = new Thread(writer, "drill-writer");

    JobID job = start(client, config, null);
    awaitRows(table, 20);
    writerThread.start();
    int savepoints = 0;
    int failures = 0;
    try {
      for (int cycle = 1; cycle <= CYCLES; cycle++) {
        Thread.sleep(700 + 150 * (cycle % 4));
        if (cycle % 2 == 1) {
          String savepoint = stopWithSavepoint(client, job, tmp.resolve("savepoints").toUri().toString());
          savepoints++;
          long before = writer.committed;
          await("writes during the downtime", Duration.ofSeconds(20), () -> writer.committed >= before + 5);
          job = start(client, config, savepoint);
        } else if (cycle % 4 == 0) {
          FAIL.set(true); // an operator fails between two checkpoints
          failures++;
        } else {
          terminateReplicationConnection(pg); // Debezium's stream breaks mid-stream
          failures++;
        }
        assertThat(writer.error.get()).as("writer").isNull();
      }
      Thread.sleep(800);
    } finally {
      writer.stop.set(true);
      writerThread.join(10_000);
    }
    assertThat(writer.error.get()).as("writer").isNull();
    long expected = writer.changes.values().stream().mapToLong(List::size).sum();
    try {
      awaitRows(table, expected);
      Thread.sleep(1500); // more checkpoints: nothing else may arrive
    } finally {
      client.cancel(job).get();
    }

    List<Map<String, Object>> rows = CdcTestSupport.silver(table);
    Set<String> positions = new HashSet<>();
    Map<Long, List<Map<String, Object>>> byId = new TreeMap<>();
    for (Map<String, Object> r : rows) {
      assertThat(positions.add(r.get("source_commit_lsn") + "#" + r.get("source_seq"))).as("duplicate position " + r).isTrue();
      byId.computeIfAbsent((Long) r.get("id"), k -> new ArrayList<>()).add(r);
    }
    Map<Long, List<String>> actual = new TreeMap<>();
    byId.forEach((id, list) -> {
      list.sort(Comparator.<Map<String, Object>, Long>comparing(r -> (Long) r.get("source_commit_lsn"), Long::compareUnsigned)
          .thenComparing(r -> (Long) r.get("source_seq")));
      List<String> seq = new ArrayList<>();
      for (Map<String, Object> r : list) {
        seq.add("d".equals(r.get("op")) ? "d" : r.get("op") + ":" + r.get("v"));
      }
      actual.put(id, seq);
    });
    System.out.printf("Restore drill: %d cycles (%d savepoint restores, %d failures), %d changes%n",
        CYCLES, savepoints, failures, expected);
    assertThat(rows).hasSize((int) expected);
    assertThat(actual).isEqualTo(new TreeMap<>(writer.changes));
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
    JobID job = env.executeAsync("restore-drill").getJobID();
    CdcTestSupport.awaitRunning(client, job);
    return job;
  }

  /** Stops with a savepoint, retrying while the job is still recovering from an injected failure. */
  static String stopWithSavepoint(ClusterClient<?> client, JobID job, String dir) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        return client.stopWithSavepoint(job, false, dir, SavepointFormatType.CANONICAL).get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline || client.getJobStatus(job).get().isGloballyTerminalState()) {
          throw e;
        }
        Thread.sleep(300); // tasks not all running yet (recovering): try again
      }
    }
  }

  private static void terminateReplicationConnection(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.connect("postgres")) {
      await("an active walsender", Duration.ofSeconds(20), () -> {
        try (PreparedStatement st = c.prepareStatement(
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'drill_slot' AND active_pid IS NOT NULL");
            ResultSet rs = st.executeQuery()) {
          return rs.next();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  private static void awaitRows(String table, long n) throws InterruptedException {
    CdcTestSupport.awaitValue(n + " rows in " + table, Duration.ofSeconds(90),
        () -> CdcTestSupport.silver(table).size(), size -> size >= n);
  }
}
