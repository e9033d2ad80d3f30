package io.tributary.cdc.bench;

import io.delta.kernel.exceptions.TableNotFoundException;
import io.tributary.cdc.CdcPipeline;
import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.config.CheckpointOptions;
import io.tributary.config.JobParameters;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.postgres.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;

/**
 * End-to-end freshness of the CDC path: the time from a row's commit in PostgreSQL (the commit
 * timestamp PostgreSQL reports in the WAL, the silver column {@code source_commit_ts}) until a
 * Delta reader sees it in the silver table (a poller reads the table's latest version every 50 ms
 * with Delta Kernel), with the production {@code CdcPipeline} (parallelism 1) at several
 * checkpoint intervals. A writer commits {@code --rate} rows/s in 10 transactions a second. The
 * first 10 s (or two intervals) are a warm-up that is not measured. PostgreSQL and the JVM share
 * the machine's clock. Prints p50/p95/p99/max per interval and the goal p99 <= interval + 2 s;
 * asserts nothing.
 *
 * <pre>./mvnw -q -f cdc-job/pom.xml -Pbench verify -DskipTests -Dbench.main=io.tributary.cdc.bench.CdcFreshnessBenchmark \
 *   -Dbench.args="--intervals 1s,5s,30s --seconds 60 --rate 100"</pre>
 */
public final class CdcFreshnessBenchmark {
  private CdcFreshnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    JobParameters p = JobParameters.fromArgs(args);
    List<Duration> intervals = new ArrayList<>();
    for (String s : p.asMap().getOrDefault("intervals", "1s,5s,30s").split(",")) {
      intervals.add(TimeUtils.parseDuration(s.trim()));
    }
    Duration run = TimeUtils.parseDuration(p.asMap().getOrDefault("seconds", "60") + "s");
    int rate = Integer.parseInt(p.asMap().getOrDefault("rate", "100"));
    Path dir = Files.createTempDirectory("cdc-freshness");
    System.out.printf("Freshness of cdc-job (PostgreSQL -> Delta), %d rows/s in 10 transactions/s, parallelism 1,"
        + " %s per interval (at least 4 intervals), load average %s%n", rate, run, BenchJobs.loadAverage());
    List<String> rows = new ArrayList<>();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().build().start()) {
      pg.createDatabase("bench");
      int i = 0;
      for (Duration interval : intervals) {
        i++;
        Duration length = run.compareTo(interval.multipliedBy(4)) >= 0 ? run : interval.multipliedBy(4);
        rows.add(measure(pg, "fresh_" + i, dir.resolve("run-" + i), interval, length, rate));
      }
    }
    System.out.println();
    System.out.println("| checkpoint interval | rows measured (of written) | p50 | p95 | p99 | max | goal p99 <= interval + 2 s | load average |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    rows.forEach(System.out::println);
  }

  private static String measure(EmbeddedPostgres pg, String table, Path lake, Duration interval, Duration length, int rate)
      throws Exception {
    try (Connection c = pg.connect("bench"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, payload text NOT NULL, written_at timestamptz NOT NULL)");
    }
    CdcJobConfig config = BenchJobs.config(pg, "bench", lake, "slot_" + table, table,
        Map.of("cdc.event-time-columns", table + ".written_at"));
    JobParameters params = JobParameters.of(Map.of("checkpoint.interval", interval.toMillis() + "ms"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, new Configuration());
    CheckpointOptions.apply(params, env);
    CdcPipeline.addTo(env, config);
    JobClient job = env.executeAsync("cdc freshness " + interval);

    // Rows of the first seconds also wait for the job to deploy and snapshot: written, not measured.
    Duration warmUp = Duration.ofSeconds(10).compareTo(interval.multipliedBy(2)) >= 0 ? Duration.ofSeconds(10) : interval.multipliedBy(2);
    long measureFromMicros = (System.currentTimeMillis() + warmUp.toMillis()) * 1000;
    Duration writeTime = length.plus(warmUp);
    AtomicLong written = new AtomicLong();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> write(pg, table, rate, writeTime, written, writing), "writer");
    writer.start();
    List<Long> latencies = new ArrayList<>();
    List<Long> commitAfterWrite = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    String path = config.tablePath(TableName.parse(table));
    long version = -1;
    long deadline = System.nanoTime() + writeTime.toNanos() + interval.multipliedBy(3).toNanos() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && (writing.get() || seen.size() < written.get())) {
      Thread.sleep(50);
      long v;
      try {
        v = DeltaTestTables.snapshot(path, Map.of()).getVersion();
      } catch (TableNotFoundException | IllegalArgumentException e) {
        continue;
      }
      if (v == version) {
        continue;
      }
      long visibleMicros = System.currentTimeMillis() * 1000;
      version = v;
      for (Map<String, Object> row : DeltaTestTables.readAll(path, Map.of())) {
        Long committed = (Long) row.get("source_commit_ts");
        if (seen.add((Long) row.get("id")) && committed != null && committed >= measureFromMicros) {
          latencies.add(visibleMicros - committed);
          commitAfterWrite.add(committed - (Long) row.get("written_at"));
        }
      }
    }
    String load = BenchJobs.loadAverage();
    job.cancel().get();
    writer.join();
    for (int i = 0; i < 100; i++) {
      try {
        job.getJobStatus().get();
        Thread.sleep(100);
      } catch (Exception e) {
        break; // the local cluster is gone once the job ended
      }
    }
    try (Connection c = pg.connect("bench")) {
      ReplicationAdmin.dropSlot(c, config.slotName(), 30_000);
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long p99 = pct(sorted, 0.99);
    boolean met = !sorted.isEmpty() && p99 <= (interval.toMillis() + 2000) * 1000;
    String row = String.format("| %s | %,d (of %,d) | %.2f s | %.2f s | %.2f s | %.2f s | %s | %s |",
        TimeUtils.formatWithHighestUnit(interval), sorted.size(), written.get(), pct(sorted, 0.5) / 1e6,
        pct(sorted, 0.95) / 1e6, p99 / 1e6, sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6,
        met ? "met" : "NOT met", load);
    Collections.sort(commitAfterWrite);
    // Clock check: PostgreSQL's commit timestamp vs clock_timestamp() at the INSERT, same server.
    System.out.printf("  commit timestamp - written_at: p50 %.1f ms, max %.1f ms%n", pct(commitAfterWrite, 0.5) / 1e3,
        commitAfterWrite.isEmpty() ? 0 : commitAfterWrite.get(commitAfterWrite.size() - 1) / 1e3);
    System.out.println(row + (seen.size() < written.get() ? " (only " + seen.size() + " rows became visible)" : ""));
    return row;
  }

  private static long pct(List<Long> sorted, double q) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /** Commits {@code rate} rows per second, in 10 transactions a second, for {@code length}. */
  private static void write(EmbeddedPostgres pg, String table, int rate, Duration length, AtomicLong written,
      AtomicBoolean writing) {
    long end = System.nanoTime() + length.toNanos();
    long id = 0;
    try (Connection c = pg.connect("bench");
        PreparedStatement insert = c.prepareStatement(
            "INSERT INTO " + table + " (id, payload, written_at) VALUES (?, ?, clock_timestamp())")) {
      c.setAutoCommit(false);
      long next = System.nanoTime();
      while (System.nanoTime() < end) {
        int batch = Math.max(1, rate / 10);
        for (int i = 0; i < batch; i++) {
          insert.setLong(1, ++id);
          insert.setString(2, "row " + id);
          insert.addBatch();
        }
        insert.executeBatch();
        c.commit();
        written.addAndGet(batch);
        next += 100_000_000L;
        long sleep = (next - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("the writer failed", e);
    } finally {
      writing.set(false);
    }
  }
}
