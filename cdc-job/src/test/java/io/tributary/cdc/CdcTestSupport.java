package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.postgres.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Shared helpers of the cdc-job integration tests. */
public final class CdcTestSupport {
  private CdcTestSupport() {}

  static CdcJobConfig config(EmbeddedPostgres pg, String db, Path lake, String tables, String slot, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put("postgres.host", "127.0.0.1");
    p.put("postgres.port", Integer.toString(pg.port()));
    p.put("postgres.database", db);
    p.put("postgres.user", EmbeddedPostgres.SUPERUSER);
    p.put("cdc.tables", tables);
    p.put("cdc.slot", slot);
    p.put("cdc.publication", slot + "_pub");
    p.put("cdc.heartbeat.interval", "500ms");
    p.put("lake.path", lake.toString());
    p.putAll(extra);
    return CdcJobConfig.from(JobParameters.of(p), new Secrets(k -> null, Secrets.fixed(Collections.emptyMap())));
  }

  static StreamExecutionEnvironment env(Configuration extra) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    env.enableCheckpointing(300);
    return env;
  }

  /** Waits up to 30 s until {@code job} runs. */
  static void awaitRunning(ClusterClient<?> client, JobID job) throws InterruptedException {
    await("job running", Duration.ofSeconds(30), () -> {
      try {
        return client.getJobStatus(job).get() == JobStatus.RUNNING;
      } catch (Exception e) {
        return false;
      }
    });
  }

  public static void sql(Connection c, String... statements) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /** Rows of the silver table, or none while it has no data. */
  static List<Map<String, Object>> silver(String path) {
    if (!Files.exists(Path.of(path, "_delta_log"))) {
      return Collections.emptyList();
    }
    return DeltaTestTables.readAll(path, Collections.emptyMap());
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(200);
    }
  }

  static <T> T awaitValue(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<T> ok) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = value.get();
    while (!ok.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; last: " + last);
      }
      Thread.sleep(250);
      last = value.get();
    }
    return last;
  }

  /**
   * The documented current-state view, evaluated in Java: per primary key the row with the
   * highest (source_commit_lsn, source_seq); keys whose latest row is a delete are absent.
   */
  static Map<List<Object>, Map<String, Object>> currentState(List<Map<String, Object>> rows, List<String> key) {
    Map<List<Object>, Map<String, Object>> latest = new HashMap<>();
    Comparator<Map<String, Object>> byPosition =
        Comparator.<Map<String, Object>, Long>comparing(r -> (Long) r.get("source_commit_lsn"), Long::compareUnsigned)
            .thenComparing(r -> (Long) r.get("source_seq"));
    for (Map<String, Object> r : rows) {
      List<Object> k = new ArrayList<>();
      for (String c : key) {
        k.add(r.get(c));
      }
      latest.merge(k, r, (a, b) -> byPosition.compare(a, b) >= 0 ? a : b);
    }
    Map<List<Object>, Map<String, Object>> out = new TreeMap<>(Comparator.comparing(Object::toString));
    latest.forEach((k, r) -> {
      if (!Boolean.TRUE.equals(r.get("is_deleted"))) {
        out.put(k, r);
      }
    });
    return out;
  }

  /** A PostgreSQL query's rows keyed by {@code key}, values via {@code getObject}. */
  static Map<List<Object>, Map<String, Object>> query(Connection c, String sql, List<String> key) throws SQLException {
    Map<List<Object>, Map<String, Object>> out = new TreeMap<>(Comparator.comparing(Object::toString));
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnName(i), rs.getObject(i));
        }
        List<Object> k = new ArrayList<>();
        for (String col : key) {
          k.add(row.get(col));
        }
        out.put(k, row);
      }
    }
    return out;
  }
}
