package io.tributary.cdc.bench;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.postgres.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.client.program.MiniClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * CDC throughput, not a test: the same Debezium source (snapshot of {@code --rows} rows, then
 * {@code --changes} updates streamed from the slot) into (1) a discarding sink and (2) the Delta
 * silver table, in one run on one embedded PostgreSQL and one MiniCluster. The streaming phase is
 * measured as catch-up: the job is stopped with a savepoint, the updates are committed, and the
 * restored job reads them from the slot. Delta figures count rows committed to the table.
 */
public final class CdcBenchmark {
  private static final AtomicLong SEEN = BenchJobs.SEEN;

  private CdcBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = 100_000;
    long changes = 100_000;
    int repeat = 2;
    for (int i = 0; i < args.length; i++) {
      if ("--rows".equals(args[i])) {
        rows = Long.parseLong(args[++i]);
      } else if ("--changes".equals(args[i])) {
        changes = Long.parseLong(args[++i]);
      } else if ("--repeat".equals(args[i])) {
        repeat = Integer.parseInt(args[++i]);
      } else {
        System.out.println("usage: CdcBenchmark [--rows N] [--changes N] [--repeat N]");
        return;
      }
    }
    Path work = Files.createTempDirectory("cdc-bench");
    Configuration conf = new Configuration();
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start();
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
            .setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build())) {
      cluster.start();
      ClusterClient<?> client = new MiniClusterClient(conf, cluster);
      pg.createDatabase("bench");
      try (Connection c = pg.connect("bench"); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(10,2),"
            + " status text, created_at timestamptz NOT NULL)");
        st.execute("INSERT INTO orders SELECT g, 'customer-' || (g % 1000), (g % 10000) / 100.0, 'new',"
            // created_at grows with id (30 days, contiguous): rows of a day are adjacent, as in
            // real order tables, so each writer keeps a handful of partition files open.
            + " timestamptz '2024-01-01' + (g * 30 / " + rows + ") * interval '1 day' FROM generate_series(1, " + rows + ") g");
        st.execute("ANALYZE orders");
      }
      System.out.printf("CdcBenchmark: %d snapshot rows, %d streamed updates, %d cores%n",
          rows, changes, Runtime.getRuntime().availableProcessors());
      // Alternating rounds, best of each: the first round also pays JIT and cache warm-up.
      double[] raw = {0, 0, 0, 0};
      double[] delta = {0, 0, 0, 0};
      for (int r = 1; r <= repeat; r++) {
        double[] a = run(client, pg, work, "raw" + r, false, rows, changes, 0);
        double[] b = run(client, pg, work, "delta" + r, true, rows, changes, 0);
        for (int k = 0; k < 4; k++) {
          raw[k] = Math.max(raw[k], a[k]);
          delta[k] = Math.max(delta[k], b[k]);
        }
      }
      System.out.println();
      System.out.printf("Best of %d rounds:%n", repeat);
      System.out.println("| sink | snapshot rows/s | streaming changes/s |");
      System.out.println("| --- | ---: | ---: |");
      System.out.printf("| discarding (raw Debezium source) | %,.0f | %,.0f |%n", raw[0], raw[1]);
      System.out.printf("| Delta silver table, rows committed (end to end) | %,.0f | %,.0f |%n", delta[0], delta[1]);
      System.out.printf("| Delta silver table, rows handed to the writer | %,.0f | %,.0f |%n", delta[2], delta[3]);
      System.out.printf("| ratio Delta committed / raw | %.2f | %.2f |%n", delta[0] / raw[0], delta[1] / raw[1]);
      System.out.printf("| ratio Delta handed to writer / raw | %.2f | %.2f |%n", delta[2] / raw[0], delta[3] / raw[1]);
      client.close();
    }
  }

  /** Returns {snapshot rows/s, streaming changes/s}. */
  private static double[] run(ClusterClient<?> client, EmbeddedPostgres pg, Path work, String name, boolean delta,
      long rows, long changes, long offset) throws Exception {
    CdcJobConfig config = config(pg, work.resolve("lake-" + name), "bench_" + name);
    String table = config.tablePath(TableName.parse("orders"));
    SEEN.set(0);
    long t0 = System.nanoTime();
    JobID job = BenchJobs.submit(client, config, delta, null, 1000);
    await(delta, table, rows, rows);
    double snapshot = rows / seconds(t0);
    double snapshotSeen = rows / ((seenAt - t0) / 1e9);
    String savepoint = client.stopWithSavepoint(job, false, work.resolve("sp-" + name).toUri().toString(),
        SavepointFormatType.CANONICAL).get();
    try (Connection c = pg.connect("bench"); Statement st = c.createStatement()) {
      long step = 1000;
      for (long from = 1; from <= changes; from += step) {
        st.execute("UPDATE orders SET status = 'paid-" + name + "', amount = amount + 1 WHERE id BETWEEN " + from
            + " AND " + Math.min(changes, from + step - 1));
      }
    }
    SEEN.set(0);
    long t1 = System.nanoTime();
    job = BenchJobs.submit(client, config, delta, savepoint, 1000);
    await(delta, table, changes, rows + changes);
    double streaming = changes / seconds(t1);
    double streamingSeen = changes / ((seenAt - t1) / 1e9);
    client.cancel(job).get();
    try (Connection c = pg.connect("bench")) {
      BenchJobs.waitTerminal(client, job);
      ReplicationAdmin.dropSlot(c, config.slotName(), 30_000);
    }
    System.out.printf("%s: snapshot %,.0f rows/s, streaming %,.0f changes/s (handed to the sink: %,.0f / %,.0f)%n",
        name, snapshot, streaming, snapshotSeen, streamingSeen);
    return new double[] {snapshot, streaming, snapshotSeen, streamingSeen};
  }

  /** When the counting operator had seen the awaited rows (System.nanoTime()). */
  private static long seenAt;

  /** Waits until the counting operator saw {@code seen} rows and the Delta table (if any) holds {@code committed}. */
  private static void await(boolean delta, String table, long seen, long committed) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    seenAt = 0;
    while (System.nanoTime() < deadline) {
      if (seenAt == 0 && SEEN.get() >= seen) {
        seenAt = System.nanoTime();
      }
      if (seenAt != 0 && (!delta || BenchJobs.committedRows(table) >= committed)) {
        return;
      }
      Thread.sleep(delta ? 50 : 10);
    }
    throw new IllegalStateException("timed out waiting for " + seen + " rows (seen " + SEEN.get() + ")");
  }

  private static CdcJobConfig config(EmbeddedPostgres pg, Path lake, String slot) {
    return BenchJobs.config(pg, "bench", lake, slot, "orders", Map.of("cdc.event-time-columns", "orders.created_at"));
  }

  private static double seconds(long startNanos) {
    return BenchJobs.seconds(startNanos);
  }
}
