package io.tributary.cdc.bench;

import io.tributary.cdc.CdcPipeline;
import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.PositionDeduplicator;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverRowTypeInfo;
import io.tributary.cdc.source.PostgresCdcSource;
import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.postgres.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/** What the CDC benchmarks share: job configuration, submission (raw or Delta), counting. Not a test. */
final class BenchJobs {
  /** Rows seen by the counting operator (benchmark only: one job at a time in this JVM). */
  static final AtomicLong SEEN = new AtomicLong();

  private static final Pattern RECORDS = Pattern.compile("numRecords\\\\?\"?:\\s*(\\d+)");
  /** numRecords per Delta commit file; commit files never change once written. */
  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
  private static final Map<Path, Long> COMMIT_ROWS = new ConcurrentHashMap<>();

  private BenchJobs() {}

  static final class Count extends ProcessFunction<SilverRow, SilverRow> {
    @Override
    public void processElement(SilverRow row, Context ctx, Collector<SilverRow> out) {
      SEEN.incrementAndGet();
      out.collect(row);
    }
  }

  /** The cdc-job configuration for {@code tables} (comma separated) of {@code database}, plus {@code extra} keys. */
  static CdcJobConfig config(EmbeddedPostgres pg, String database, Path lake, String slot, String tables,
      Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("postgres.host", "127.0.0.1");
    p.put("postgres.port", Integer.toString(pg.port()));
    p.put("postgres.database", database);
    p.put("postgres.user", EmbeddedPostgres.SUPERUSER);
    p.put("cdc.tables", tables);
    p.put("cdc.slot", slot);
    p.put("cdc.publication", "bench_pub_" + slot);
    p.put("cdc.heartbeat.interval", "1s");
    p.put("lake.path", lake.toString());
    p.putAll(extra);
    return CdcJobConfig.from(JobParameters.of(p), new Secrets(k -> null, Secrets.fixed(Collections.emptyMap())));
  }

  /**
   * Submits (1) source → dedup → count → discard ({@code delta} false) or (2) the production
   * {@link CdcPipeline} with a counting operator on its deduplicated stream, at parallelism 1 with
   * a checkpoint every {@code checkpointMillis}; waits until the job runs.
   */
  static JobID submit(ClusterClient<?> client, CdcJobConfig config, boolean delta, String savepoint,
      long checkpointMillis) throws Exception {
    Configuration conf = new Configuration();
    if (savepoint != null) {
      conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(checkpointMillis);
    env.setParallelism(1);
    DataStream<SilverRow> counted;
    if (delta) {
      counted = CdcPipeline.addTo(env, config).process(new Count(), new SilverRowTypeInfo()).uid("count");
    } else {
      try (Connection c = ReplicationAdmin.connect(config)) {
        ReplicationAdmin.ensurePublication(c, config);
      }
      counted = env.addSource(new PostgresCdcSource(config), "PostgreSQL CDC", new SilverRowTypeInfo())
          .uid("cdc-postgres-source")
          .process(new PositionDeduplicator(), new SilverRowTypeInfo()).uid("cdc-dedup")
          .process(new Count(), new SilverRowTypeInfo()).uid("count");
    }
    counted.sinkTo(new DiscardingSink<>()).uid("discard");
    JobID job = client.submitJob(env.getStreamGraph().getJobGraph()).get();
    for (int i = 0; i < 300 && client.getJobStatus(job).get() != JobStatus.RUNNING; i++) {
      Thread.sleep(100);
    }
    return job;
  }

  static void waitTerminal(ClusterClient<?> client, JobID job) throws Exception {
    for (int i = 0; i < 300 && !client.getJobStatus(job).get().isGloballyTerminalState(); i++) {
      Thread.sleep(100);
    }
  }

  /**
   * Rows committed to the table (append-only): numRecords of every add action in the JSON commits
   * that adds data. Compaction's adds ({@code dataChange:false}, the in-job maintenance's) rewrite
   * rows already counted.
   */
  static long committedRows(String table) throws IOException {
    Path log = Path.of(table, "_delta_log");
    if (!Files.exists(log)) {
      return 0;
    }
    long n = 0;
    List<Path> commits;
    try (Stream<Path> files = Files.list(log)) {
      commits = files.filter(p -> COMMIT_FILE.matcher(p.getFileName().toString()).matches()).sorted()
          .collect(java.util.stream.Collectors.toList());
    }
    for (int i = 0; i < commits.size(); i++) {
      Path f = commits.get(i);
      {
        Long rows = COMMIT_ROWS.get(f);
        if (rows == null) {
          rows = 0L;
          for (String line : Files.readAllLines(f)) {
            if (line.startsWith("{\"add\"") && !line.contains("\"dataChange\":false")) {
              Matcher m = RECORDS.matcher(line);
              if (m.find()) {
                rows += Long.parseLong(m.group(1));
              }
            }
          }
          if (i < commits.size() - 1) {
            // Not the newest commit: complete for sure (the newest is cached at a later call).
            COMMIT_ROWS.put(f, rows);
          }
        }
        n += rows;
      }
    }
    return n;
  }

  /** The sum of {@link #committedRows} over {@code tables}. */
  static long committedRows(List<String> tables) throws IOException {
    long n = 0;
    for (String t : tables) {
      n += committedRows(t);
    }
    return n;
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The 1-, 5- and 15-minute load averages of the machine (it is shared), as "a b c". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
