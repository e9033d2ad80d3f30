package io.tributary.cdc.bench;

import io.tributary.cdc.CdcPipeline;
import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.postgres.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.flink.util.TimeUtils;

/**
 * CDC under a pgbench-style (TPC-B-like) write load, not a test: {@link PgBenchLoad} with
 * {@code --clients} clients on embedded PostgreSQL, all four pgbench tables captured by one slot,
 * into (1) the raw Debezium source → discarding sink and (2) the production {@code CdcPipeline}
 * (four Delta silver tables), one after the other on one MiniCluster (parallelism 1, checkpoint
 * every {@code --checkpoint}). Per variant:
 *
 * <ol>
 *   <li>live: after the initial snapshot, the load runs for {@code --seconds} while the job runs;
 *       the lag (row changes committed in PostgreSQL minus changes processed: seen by the discarding
 *       sink, or committed to the Delta tables) is sampled every second; after the load stops, the
 *       time until the job has caught up is measured;
 *   <li>backlog: the job is stopped with a savepoint, the load runs for {@code --seconds} alone
 *       (the load's own rate), then the job is restored and the time to drain the backlog is
 *       measured (from submission, so it includes the restore).
 * </ol>
 *
 * Count check: every change reaches the sink exactly once (raw: the counter; Delta: the rows of
 * each table's commits, and the op column of tellers, branches and history). Exit status 1 on a
 * mismatch. Prints figures and ratios; asserts no time.
 *
 * <pre>./mvnw -q -f cdc-job/pom.xml -Pbench verify -DskipTests -Dbench.main=io.tributary.cdc.bench.CdcLoadBenchmark \
 *   -Dbench.args="--scale 4 --clients 4 --seconds 60 --checkpoint 1s"</pre>
 *
 * With {@code --tps N} the clients are paced to N transactions a second in all (as pgbench
 * {@code --rate}), so both sinks face the same offered load.
 */
public final class CdcLoadBenchmark {
  private static final AtomicLong SEEN = BenchJobs.SEEN;

  private CdcLoadBenchmark() {}

  /** One variant's figures. */
  private static final class Result {
    String name;
    double snapshotSeconds;
    long snapshotRows;
    long liveTransactions;
    double liveLoadSeconds;
    long lagAtEnd;
    long maxLag;
    double catchUpSeconds;
    double liveRate;
    long backlogTransactions;
    double backlogLoadSeconds;
    double drainSeconds;
    String loadLive;
    String loadBacklog;
    long failedTransactions;
    List<String> problems = new ArrayList<>();
  }

  public static void main(String[] args) throws Exception {
    int scale = 4;
    int clients = 4;
    Duration length = Duration.ofSeconds(60);
    Duration checkpoint = Duration.ofSeconds(1);
    List<String> variants = List.of("raw", "delta");
    int tps = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale":
          scale = Integer.parseInt(args[++i]);
          break;
        case "--clients":
          clients = Integer.parseInt(args[++i]);
          break;
        case "--seconds":
          length = Duration.ofSeconds(Long.parseLong(args[++i]));
          break;
        case "--checkpoint":
          checkpoint = TimeUtils.parseDuration(args[++i]);
          break;
        case "--tps":
          tps = Integer.parseInt(args[++i]);
          break;
        case "--variants":
          variants = List.of(args[++i].split(","));
          break;
        default:
          System.out.println("usage: CdcLoadBenchmark [--scale N] [--clients N] [--seconds N] [--checkpoint 1s] [--tps N (0: unpaced)] [--variants raw,delta]");
          return;
      }
    }
    Path work = Files.createTempDirectory("cdc-load-bench");
    Configuration conf = new Configuration();
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
    List<Result> results = new ArrayList<>();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start();
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
            .setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build())) {
      cluster.start();
      ClusterClient<?> client = new MiniClusterClient(conf, cluster);
      pg.createDatabase("bench");
      PgBenchLoad load = new PgBenchLoad(pg, "bench", scale);
      load.initialize();
      System.out.printf("CdcLoadBenchmark: pgbench-style TPC-B-like load, scale %d (%,d accounts), %d clients (%s), %s per phase,"
          + " checkpoint every %s, %d cores, load average %s%n", scale, 100_000L * scale, clients,
          tps > 0 ? "paced to " + tps + " TPS in all" : "unpaced", length,
          TimeUtils.formatWithHighestUnit(checkpoint), Runtime.getRuntime().availableProcessors(), BenchJobs.loadAverage());
      for (String v : variants) {
        results.add(run(client, pg, load, work, v, "delta".equals(v), clients, length, checkpoint, tps));
      }
      client.close();
    }
    System.out.println();
    System.out.println("Live (the job runs during the load; changes = row changes, 4 per transaction):");
    System.out.println("| sink | load TPS | changes/s produced | changes/s processed (load start → caught up) | lag at load end"
        + " (changes) | max lag | catch-up after load | keeps up | load average |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for (Result r : results) {
      double produced = PgBenchLoad.CHANGES_PER_TRANSACTION * r.liveTransactions / r.liveLoadSeconds;
      boolean keepsUp = r.catchUpSeconds <= checkpoint.toMillis() / 1e3 + 2;
      System.out.printf("| %s | %,.0f | %,.0f | %,.0f | %,d | %,d | %.1f s | %s | %s |%n", label(r.name),
          r.liveTransactions / r.liveLoadSeconds, produced, r.liveRate, r.lagAtEnd, r.maxLag, r.catchUpSeconds,
          keepsUp ? "yes" : "no", r.loadLive);
    }
    System.out.println();
    System.out.println("Backlog (the load runs alone, then the restored job drains it):");
    System.out.println("| sink | load alone TPS | changes/s produced | backlog (changes) | drain time | drain changes/s |"
        + " drain / produced | load average |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (Result r : results) {
      long changes = PgBenchLoad.CHANGES_PER_TRANSACTION * r.backlogTransactions;
      double produced = changes / r.backlogLoadSeconds;
      double drain = changes / r.drainSeconds;
      System.out.printf("| %s | %,.0f | %,.0f | %,d | %.1f s | %,.0f | %.2f | %s |%n", label(r.name),
          r.backlogTransactions / r.backlogLoadSeconds, produced, changes, r.drainSeconds, drain, drain / produced,
          r.loadBacklog);
    }
    if (results.size() == 2) {
      Result a = results.get(0);
      Result b = results.get(1);
      double da = PgBenchLoad.CHANGES_PER_TRANSACTION * a.backlogTransactions / a.drainSeconds;
      double db = PgBenchLoad.CHANGES_PER_TRANSACTION * b.backlogTransactions / b.drainSeconds;
      System.out.printf("%nRatio %s / %s: drain changes/s %.2f, live load TPS %.2f%n", b.name, a.name,
          db / da, (b.liveTransactions / b.liveLoadSeconds) / (a.liveTransactions / a.liveLoadSeconds));
    }
    System.out.println();
    boolean ok = true;
    for (Result r : results) {
      System.out.printf("%s: snapshot %,d rows in %.1f s (%,.0f rows/s, from submission); failed transactions %d; count check %s%n",
          r.name, r.snapshotRows, r.snapshotSeconds, r.snapshotRows / r.snapshotSeconds, r.failedTransactions,
          r.problems.isEmpty() ? "OK" : "FAILED " + r.problems);
      ok &= r.problems.isEmpty();
    }
    if (!ok) {
      System.exit(1);
    }
  }

  private static String label(String name) {
    return "delta".equals(name) ? "Delta silver tables (CdcPipeline), committed" : "raw Debezium source → discarding sink";
  }

  private static Result run(ClusterClient<?> client, EmbeddedPostgres pg, PgBenchLoad load, Path work, String name,
      boolean delta, int clients, Duration length, Duration checkpoint, int tps) throws Exception {
    Result r = new Result();
    r.name = name;
    CdcJobConfig config = BenchJobs.config(pg, "bench", work.resolve("lake-" + name), "load_" + name,
        String.join(",", PgBenchLoad.TABLES), Map.of());
    List<String> tables = new ArrayList<>();
    for (String t : PgBenchLoad.TABLES) {
      tables.add(config.tablePath(TableName.parse(t)));
    }
    long[] before = load.rowCounts();
    long snapshotRows = 0;
    for (long n : before) {
      snapshotRows += n;
    }
    r.snapshotRows = snapshotRows;
    long ms = checkpoint.toMillis();

    // Initial snapshot of the four tables.
    SEEN.set(0);
    long t0 = System.nanoTime();
    JobID job = BenchJobs.submit(client, config, delta, null, ms);
    awaitProcessed(delta, tables, snapshotRows, snapshotRows, Duration.ofMinutes(10));
    r.snapshotSeconds = BenchJobs.seconds(t0);
    System.out.printf("%s: snapshot of %,d rows done in %.1f s%n", name, snapshotRows, r.snapshotSeconds);

    // Live: the load runs while the job runs.
    long base = snapshotRows;
    LoadThread live = new LoadThread(load, clients, length, tps);
    long loadStart = System.nanoTime();
    live.start();
    long nextReport = loadStart + 10_000_000_000L;
    long nextSample = loadStart + 1_000_000_000L;
    while (live.isAlive()) {
      live.join(20);
      if (live.isAlive() && System.nanoTime() >= nextSample) {
        nextSample += 1_000_000_000L;
        long produced = PgBenchLoad.CHANGES_PER_TRANSACTION * load.committed.get();
        long lag = produced - processed(delta, tables, base);
        r.maxLag = Math.max(r.maxLag, lag);
        if (System.nanoTime() >= nextReport) {
          System.out.printf("%s live %3.0f s: %,d changes produced, lag %,d, load average %s%n", name,
              BenchJobs.seconds(loadStart), produced, lag, BenchJobs.loadAverage());
          nextReport += 10_000_000_000L;
        }
      }
    }
    // Measured within ~20 ms of the load's end.
    r.liveTransactions = live.transactions();
    long liveChanges = PgBenchLoad.CHANGES_PER_TRANSACTION * r.liveTransactions;
    r.lagAtEnd = liveChanges - processed(delta, tables, base);
    long loadEnd = live.endNanos;
    r.loadLive = BenchJobs.loadAverage();
    r.liveLoadSeconds = (loadEnd - loadStart) / 1e9;
    r.failedTransactions += load.failed.get();
    r.maxLag = Math.max(r.maxLag, r.lagAtEnd);
    awaitProcessed(delta, tables, base + liveChanges, base + liveChanges, Duration.ofMinutes(15));
    long caughtUp = System.nanoTime();
    r.catchUpSeconds = (caughtUp - loadEnd) / 1e9;
    r.liveRate = liveChanges / ((caughtUp - loadStart) / 1e9);
    System.out.printf("%s live: %,d transactions in %.1f s, lag at end %,d changes, caught up %.1f s later%n", name,
        r.liveTransactions, r.liveLoadSeconds, r.lagAtEnd, r.catchUpSeconds);
    Thread.sleep(ms + 2000);
    long extra = processed(delta, tables, base) - liveChanges;
    if (extra != 0) {
      r.problems.add("live: " + extra + " changes more than the load made");
    }

    // Backlog: the job is stopped while the load runs alone; then the restored job drains it.
    String savepoint = client.stopWithSavepoint(job, false, work.resolve("sp-" + name).toUri().toString(),
        SavepointFormatType.CANONICAL).get();
    BenchJobs.waitTerminal(client, job);
    long committedBefore = delta ? BenchJobs.committedRows(tables) : 0;
    long loadAlone = System.nanoTime();
    r.backlogTransactions = load.run(clients, length, tps);
    r.backlogLoadSeconds = BenchJobs.seconds(loadAlone);
    r.failedTransactions += load.failed.get();
    r.loadBacklog = BenchJobs.loadAverage();
    long backlog = PgBenchLoad.CHANGES_PER_TRANSACTION * r.backlogTransactions;
    SEEN.set(0);
    long t1 = System.nanoTime();
    job = BenchJobs.submit(client, config, delta, savepoint, ms);
    awaitProcessed(delta, tables, backlog, committedBefore + backlog, Duration.ofMinutes(20));
    r.drainSeconds = BenchJobs.seconds(t1);
    r.loadBacklog = r.loadBacklog + " / " + BenchJobs.loadAverage();
    System.out.printf("%s backlog: %,d transactions (%,d changes) in %.1f s without the job, drained in %.1f s%n", name,
        r.backlogTransactions, backlog, r.backlogLoadSeconds, r.drainSeconds);
    Thread.sleep(ms + 2000);
    long seenExtra = SEEN.get() - backlog;
    if (seenExtra != 0) {
      r.problems.add("backlog: " + seenExtra + " changes more than the load made reached the counter");
    }
    client.cancel(job).get();
    BenchJobs.waitTerminal(client, job);
    try (Connection c = pg.connect("bench")) {
      ReplicationAdmin.dropSlot(c, config.slotName(), 30_000);
    }
    if (delta) {
      checkDelta(r, tables, before, r.liveTransactions + r.backlogTransactions);
    }
    return r;
  }

  /** Every change exactly once in the Delta tables: rows per table, and the op column of the small tables. */
  private static void checkDelta(Result r, List<String> tables, long[] before, long transactions) throws Exception {
    for (int i = 0; i < tables.size(); i++) {
      long rows = BenchJobs.committedRows(tables.get(i));
      long expected = before[i] + transactions;
      System.out.printf("  %s: %,d rows in Delta, expected %,d (%,d snapshot + %,d changes)%n", PgBenchLoad.TABLES.get(i),
          rows, expected, before[i], transactions);
      if (rows != expected) {
        r.problems.add(PgBenchLoad.TABLES.get(i) + " holds " + rows + " rows, expected " + expected);
      }
    }
    // pgbench_accounts is large; its row count above is checked. For the others, count ops.
    String[] ops = {null, "u", "u", "c"};
    for (int i = 1; i < tables.size(); i++) {
      long n = 0;
      for (Map<String, Object> row : DeltaTestTables.readAll(tables.get(i), Map.of())) {
        if (ops[i].equals(row.get("op"))) {
          n++;
        }
      }
      System.out.printf("  %s: %,d rows with op '%s', expected %,d%n", PgBenchLoad.TABLES.get(i), n, ops[i], transactions);
      if (n != transactions) {
        r.problems.add(PgBenchLoad.TABLES.get(i) + " holds " + n + " op '" + ops[i] + "' rows, expected " + transactions);
      }
    }
  }

  /** Changes processed beyond {@code base}: seen by the counter (raw) or committed to the Delta tables. */
  private static long processed(boolean delta, List<String> tables, long base) throws Exception {
    return (delta ? BenchJobs.committedRows(tables) : SEEN.get()) - base;
  }

  private static void awaitProcessed(boolean delta, List<String> tables, long seen, long committed, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (SEEN.get() >= seen && (!delta || BenchJobs.committedRows(tables) >= committed)) {
        return;
      }
      Thread.sleep(delta ? 50 : 10);
    }
    throw new IllegalStateException("timed out waiting for " + seen + " rows (seen " + SEEN.get() + ")");
  }

  /** Runs the load in the background. */
  private static final class LoadThread extends Thread {
    private final PgBenchLoad load;
    private final int clients;
    private final Duration length;
    private final int tps;
    private volatile long transactions;
    private volatile Exception error;
    volatile long endNanos;

    LoadThread(PgBenchLoad load, int clients, Duration length, int tps) {
      super("pgbench-load");
      this.load = load;
      this.clients = clients;
      this.length = length;
      this.tps = tps;
    }

    @Override
    public void run() {
      try {
        transactions = load.run(clients, length, tps);
      } catch (Exception e) {
        error = e;
      } finally {
        endNanos = System.nanoTime();
      }
    }

    long transactions() {
      if (error != null) {
        throw new IllegalStateException("the load failed", error);
      }
      return transactions;
    }
  }
}
