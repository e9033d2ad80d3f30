package io.tributary.eventsjob;

import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.events.WebEventJson;
import io.tributary.kinesis.KinesisEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Shared fixtures of the events-job integration tests. */
final class EventsJobTesting {
  private EventsJobTesting() {}

  static final Instant CLOCK = Instant.parse("2026-11-20T23:58:00Z");

  /** Parameters for a job reading {@code stream} on the emulator and writing under {@code lake}. */
  static Map<String, String> params(KinesisEmulator kinesis, String stream, String lake) {
    Map<String, String> p = new HashMap<>();
    p.put("kinesis.stream", stream);
    p.put("kinesis.region", kinesis.region());
    p.put("kinesis.endpoint", kinesis.endpoint().toString());
    p.put("kinesis.access-key-id", kinesis.accessKeyId());
    p.put("kinesis.secret-access-key.env", "TEST_KINESIS_SECRET");
    p.put("kinesis.initial-position", "TRIM_HORIZON");
    p.put("kinesis.polling.interval", "100 ms");
    p.put("kinesis.shard-discovery-interval", "1 s");
    p.put("lake.path", lake);
    return p;
  }

  static EventsJobConfig config(KinesisEmulator kinesis, Map<String, String> params) {
    Map<String, String> env = Map.of("TEST_KINESIS_SECRET", kinesis.secretAccessKey());
    return EventsJobConfig.from(JobParameters.of(params), new Secrets(env::get, Secrets.fixed(Map.of())), env::get);
  }

  /** A MiniCluster environment: checkpoints every 300 ms, restarts quickly. */
  static StreamExecutionEnvironment env(int parallelism, Configuration extra) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    conf.addAll(extra);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(300);
    return env;
  }

  static List<WebEvent> events(long seed, int n) {
    return new SessionSimulator(seed, CLOCK).take(n);
  }

  static List<byte[]> json(List<WebEvent> events) {
    return events.stream().map(WebEventJson::toBytes).collect(Collectors.toList());
  }

  /** The table's rows, or an empty list while it has no data. */
  static List<Map<String, Object>> rows(String table) {
    return DeltaTestTables.readAll(table, Map.of());
  }

  /** Polls the table until {@code done} holds for its rows; fails after {@code timeout} with what it saw. */
  static List<Map<String, Object>> awaitRows(
      String table, Predicate<List<Map<String, Object>>> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> rows = List.of();
    while (System.nanoTime() < deadline) {
      rows = rows(table);
      if (done.test(rows)) {
        return rows;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("Timed out after " + timeout + " waiting for " + what + " in " + table
        + "; it has " + rows.size() + " rows");
  }

  static Predicate<List<Map<String, Object>>> atLeast(int n) {
    return rows -> rows.size() >= n;
  }

  /** event_id to how often it occurs. */
  static Map<String, Long> idCounts(List<Map<String, Object>> rows) {
    return rows.stream().collect(Collectors.groupingBy(r -> (String) r.get("event_id"), Collectors.counting()));
  }
}
