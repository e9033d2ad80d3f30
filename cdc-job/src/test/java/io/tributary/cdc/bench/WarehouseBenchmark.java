package io.tributary.cdc.bench;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.postgres.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.MiniClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * Warehouse sink throughput, not a test: the production pipeline (Delta silver table and the
 * warehouse sink of the same table) from one embedded PostgreSQL into a second one as the
 * warehouse, in one MiniCluster.
 *
 * <ol>
 *   <li>snapshot: {@code --rows} rows, timed until the warehouse holds them all;
 *   <li>catch-up: the job stopped with a savepoint, {@code --changes} updates committed (one per
 *       row, in transactions of 1,000), the job restored, timed until the warehouse shows the last;
 *   <li>live: a writer commits small transactions (10 updates of random rows) as fast as it can
 *       for {@code --live-seconds} while the job runs; the source change rate is what it committed
 *       per second, the warehouse rate the same changes over the time until the warehouse shows
 *       the writer's last change.
 * </ol>
 *
 * Upserts/s count changes applied to the warehouse table (guarded {@code INSERT ... ON
 * CONFLICT}); the rate at which the source hands changes on is printed beside them.
 */
public final class WarehouseBenchmark {
  private WarehouseBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = 100_000;
    long changes = 100_000;
    int liveSeconds = 20;
    int batchSize = 500;
    boolean warehouse = true;
    for (int i = 0; i < args.length; i++) {
      if ("--rows".equals(args[i])) {
        rows = Long.parseLong(args[++i]);
      } else if ("--changes".equals(args[i])) {
        changes = Long.parseLong(args[++i]);
      } else if ("--live-seconds".equals(args[i])) {
        liveSeconds = Integer.parseInt(args[++i]);
      } else if ("--batch-size".equals(args[i])) {
        batchSize = Integer.parseInt(args[++i]);
      } else if ("--without-warehouse".equals(args[i])) {
        warehouse = false; // the same pipeline and load, Delta only: the baseline
      } else {
        System.out.println("usage: WarehouseBenchmark [--rows N] [--changes N] [--live-seconds N] [--batch-size N] [--without-warehouse]");
        return;
      }
    }
    changes = Math.min(changes, rows);
    Path work = Files.createTempDirectory("warehouse-bench");
    Configuration conf = new Configuration();
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
    conf.set(RestOptions.BIND_PORT, "0"); // any free port: other MiniClusters may run on this machine
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start();
        EmbeddedPostgres wh = EmbeddedPostgres.builder().build().start();
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
            .setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build())) {
      cluster.start();
      ClusterClient<?> client = new MiniClusterClient(conf, cluster);
      pg.createDatabase("bench");
      wh.createDatabase("dwh");
      try (Connection c = pg.connect("bench"); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2),"
            + " status text, created_at timestamptz NOT NULL)");
        st.execute("ALTER TABLE orders REPLICA IDENTITY FULL");
        st.execute("INSERT INTO orders SELECT g, 'customer-' || (g % 1000), (g % 10000) / 100.0, 'new',"
            + " timestamptz '2024-01-01' + (g * 30 / " + rows + ") * interval '1 day' FROM generate_series(1, " + rows + ") g");
        st.execute("ANALYZE orders");
      }
      System.out.printf("WarehouseBenchmark: %d snapshot rows, %d catch-up updates, %d s live, batch size %d, %d cores,"
          + " load average %s%n", rows, changes, liveSeconds, batchSize, Runtime.getRuntime().availableProcessors(),
          BenchJobs.loadAverage());
      Map<String, String> extra = new HashMap<>();
      extra.put("cdc.event-time-columns", "orders.created_at");
      if (warehouse) {
        extra.put("warehouse.tables", "public.orders");
        extra.put("warehouse.url", "jdbc:postgresql://127.0.0.1:" + wh.port() + "/dwh");
        extra.put("warehouse.user", EmbeddedPostgres.SUPERUSER);
        extra.put("warehouse.batch.size", Integer.toString(batchSize));
      } else {
        System.out.println("Without the warehouse sink: 'warehouse' figures are changes handed to the Delta sink");
      }
      WITH_WAREHOUSE = warehouse;
      CdcJobConfig config = BenchJobs.config(pg, "bench", work.resolve("lake"), "bench_wh", "orders", extra);

      BenchJobs.SEEN.set(0);
      long t0 = System.nanoTime();
      JobID job = BenchJobs.submit(client, config, true, null, 1000);
      long seenAt = awaitWarehouse(wh, "SELECT count(*) FROM orders", rows, rows);
      double snapshot = rows / BenchJobs.seconds(t0);
      double snapshotSeen = rows / ((seenAt - t0) / 1e9);
      System.out.printf("snapshot: %,.0f rows/s into the warehouse (the source handed on %,.0f rows/s)%n",
          snapshot, snapshotSeen);

      String savepoint = client.stopWithSavepoint(job, false, work.resolve("sp").toUri().toString(),
          SavepointFormatType.CANONICAL).get();
      try (Connection c = pg.connect("bench"); Statement st = c.createStatement()) {
        for (long from = 1; from <= changes; from += 1000) {
          st.execute("UPDATE orders SET status = 'paid', amount = amount + 1 WHERE id BETWEEN " + from
              + " AND " + Math.min(changes, from + 999));
        }
      }
      BenchJobs.SEEN.set(0);
      long t1 = System.nanoTime();
      job = BenchJobs.submit(client, config, true, savepoint, 1000);
      seenAt = awaitWarehouse(wh, "SELECT count(*) FROM orders WHERE status = 'paid'", changes, changes);
      double catchUp = changes / BenchJobs.seconds(t1);
      double catchUpSeen = changes / ((seenAt - t1) / 1e9);
      System.out.printf("catch-up: %,.0f upserts/s into the warehouse (the source handed on %,.0f changes/s)%n",
          catchUp, catchUpSeen);

      BenchJobs.SEEN.set(0);
      long[] live = live(pg, rows, liveSeconds);
      long liveStart = live[0];
      long committed = live[1];
      long liveEnd = live[2];
      awaitWarehouse(wh, "SELECT count(*) FROM orders WHERE id = 1 AND status = 'done'", 1, warehouse ? 0 : committed);
      double sourceRate = committed / ((liveEnd - liveStart) / 1e9);
      double liveRate = committed / ((System.nanoTime() - liveStart) / 1e9);
      double lagSeconds = (System.nanoTime() - liveEnd) / 1e9;
      System.out.printf("live: source committed %,.0f changes/s, warehouse applied %,.0f upserts/s, "
          + "caught up %.1f s after the writer stopped%n", sourceRate, liveRate, lagSeconds);
      client.cancel(job).get();
      BenchJobs.waitTerminal(client, job);
      try (Connection c = pg.connect("bench")) {
        ReplicationAdmin.dropSlot(c, config.slotName(), 30_000);
      }
      System.out.println();
      System.out.println("| phase | source changes/s | warehouse upserts/s | ratio |");
      System.out.println("| --- | ---: | ---: | ---: |");
      System.out.printf("| snapshot (%,d rows; source = rows handed on) | %,.0f | %,.0f | %.2f |%n", rows, snapshotSeen,
          snapshot, snapshot / snapshotSeen);
      System.out.printf("| catch-up (%,d updates; source = changes handed on) | %,.0f | %,.0f | %.2f |%n", changes,
          catchUpSeen, catchUp, catchUp / catchUpSeen);
      System.out.printf("| live (%d s; source = changes committed) | %,.0f | %,.0f | %.2f |%n", liveSeconds, sourceRate,
          liveRate, liveRate / sourceRate);
      client.close();
    }
  }

  /**
   * Commits transactions of 10 random updates for {@code seconds}, then one marking row 1 done.
   *
   * @return {start nanos, changes committed, end nanos}
   */
  private static long[] live(EmbeddedPostgres pg, long rows, int seconds) throws SQLException {
    Random random = new Random(1);
    long committed = 0;
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    try (Connection c = pg.connect("bench");
        PreparedStatement st = c.prepareStatement("UPDATE orders SET status = 'live', amount = amount + 1 WHERE id = ?")) {
      c.setAutoCommit(false);
      while (System.nanoTime() < end) {
        for (int i = 0; i < 10; i++) {
          st.setLong(1, 2 + (long) (random.nextDouble() * (rows - 1)));
          st.addBatch();
        }
        st.executeBatch();
        c.commit();
        committed += 10;
      }
      try (Statement done = c.createStatement()) {
        done.execute("UPDATE orders SET status = 'done' WHERE id = 1");
      }
      c.commit();
      committed++;
    }
    return new long[] {start, committed, System.nanoTime()};
  }

  /**
   * Waits until {@code countQuery} on the warehouse returns at least {@code n} and the counting
   * operator saw {@code seen} changes.
   *
   * @return when the counting operator had seen them (System.nanoTime())
   */
  /** False for the baseline run: the awaited counts are the counting operator's only. */
  private static boolean WITH_WAREHOUSE = true;

  private static long awaitWarehouse(EmbeddedPostgres wh, String countQuery, long n, long seen) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    long seenAt = 0;
    try (Connection c = wh.connect("dwh")) {
      while (System.nanoTime() < deadline) {
        if (seenAt == 0 && BenchJobs.SEEN.get() >= seen) {
          seenAt = System.nanoTime();
        }
        if (seenAt != 0 && (!WITH_WAREHOUSE || count(c, countQuery) >= n)) {
          return seenAt;
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("timed out waiting for " + countQuery + " >= " + n);
  }

  private static long count(Connection c, String query) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1; // the table does not exist yet
    }
  }
}
