package io.tributary.eventsjob.bench;

import io.delta.kernel.exceptions.TableNotFoundException;
import io.tributary.config.CheckpointOptions;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.events.WebEventJson;
import io.tributary.eventsjob.EventsJob;
import io.tributary.eventsjob.EventsJobConfig;
import io.tributary.kinesis.KinesisEmulator;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * End-to-end freshness of the events path: the time from a record's arrival in Kinesis (its
 * approximate arrival timestamp, the silver column {@code ingest_timestamp}) until a Delta reader
 * sees it in {@code atomic_events} (a poller reads the table's latest version every 50 ms), at
 * several checkpoint intervals, after a warm-up (10 s or two intervals) that is not measured. Prints p50/p95/p99/max per interval and the goal p99 <= interval
 * + 2 s; asserts nothing.
 *
 * <pre>./mvnw -q -pl events-job -am -Pbench verify -DskipTests -Dbench.main=io.tributary.eventsjob.bench.FreshnessBenchmark \
 *   -Dbench.args="--intervals 1s,5s,30s --seconds 60 --rate 200"</pre>
 */
public final class FreshnessBenchmark {
  private FreshnessBenchmark() {}

  public static void main(String[] args) throws Exception {
    JobParameters p = JobParameters.fromArgs(args);
    List<Duration> intervals = new ArrayList<>();
    for (String s : p.asMap().getOrDefault("intervals", "1s,5s,30s").split(",")) {
      intervals.add(TimeUtils.parseDuration(s.trim()));
    }
    Duration run = TimeUtils.parseDuration(p.asMap().getOrDefault("seconds", "60") + "s");
    int rate = Integer.parseInt(p.asMap().getOrDefault("rate", "200"));
    Path dir = Paths.get(p.asMap().getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/tributary-freshness"));
    System.out.printf("Freshness of events-job (Kinesis emulator -> Delta), %d events/s, parallelism 2, %s per interval (at least 4 intervals)%n",
        rate, run);
    List<String> rows = new ArrayList<>();
    try (KinesisEmulator kinesis = KinesisEmulator.builder().build().start()) {
      int i = 0;
      for (Duration interval : intervals) {
        i++;
        Duration length = run.compareTo(interval.multipliedBy(4)) >= 0 ? run : interval.multipliedBy(4);
        rows.add(measure(kinesis, "fresh-" + i, dir.resolve("run-" + i), interval, length, rate));
      }
    }
    System.out.println();
    System.out.println("| checkpoint interval | events measured (of produced) | p50 | p95 | p99 | max | goal p99 <= interval + 2 s |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
    rows.forEach(System.out::println);
  }

  private static String measure(KinesisEmulator kinesis, String stream, Path lake, Duration interval, Duration length, int rate)
      throws Exception {
    kinesis.createStream(stream, 2);
    Map<String, String> p = new HashMap<>();
    p.put("kinesis.stream", stream);
    p.put("kinesis.region", kinesis.region());
    p.put("kinesis.endpoint", kinesis.endpoint().toString());
    p.put("kinesis.access-key-id", kinesis.accessKeyId());
    p.put("kinesis.secret-access-key", kinesis.secretAccessKey());
    p.put("kinesis.polling.interval", "200ms");
    p.put("lake.path", lake.toString());
    p.put("checkpoint.interval", interval.toMillis() + "ms");
    JobParameters params = JobParameters.of(p);
    EventsJobConfig config = EventsJobConfig.from(params, new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
    CheckpointOptions.apply(params, env);
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("freshness " + interval);

    // Events of the first seconds also wait for the job to deploy: they are produced, not measured.
    Duration warmUp = Duration.ofSeconds(10).compareTo(interval.multipliedBy(2)) >= 0 ? Duration.ofSeconds(10) : interval.multipliedBy(2);
    long measureFrom = System.currentTimeMillis() + warmUp.toMillis();
    Duration productionTime = length.plus(warmUp);
    AtomicLong produced = new AtomicLong();
    AtomicBoolean producing = new AtomicBoolean(true);
    Thread producer = new Thread(() -> produce(kinesis, stream, rate, productionTime, produced, producing), "producer");
    producer.start();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Set<String> seen = new HashSet<>();
    String table = config.atomicEventsTablePath();
    long version = -1;
    long deadline = System.nanoTime() + productionTime.toNanos() + interval.multipliedBy(3).toNanos() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && (producing.get() || seen.size() < produced.get())) {
      Thread.sleep(50);
      long v;
      try {
        v = DeltaTestTables.snapshot(table, Map.of()).getVersion();
      } catch (TableNotFoundException | IllegalArgumentException e) {
        continue;
      }
      if (v == version) {
        continue;
      }
      long visible = System.currentTimeMillis();
      version = v;
      for (Map<String, Object> row : DeltaTestTables.readAll(table, Map.of())) {
        long ingested = ((Long) row.get("ingest_timestamp")) / 1000;
        if (seen.add((String) row.get("event_id")) && ingested >= measureFrom) {
          latencies.add(visible - ingested);
        }
      }
    }
    job.cancel().get();
    producer.join();
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    long p99 = pct(sorted, 0.99);
    boolean met = p99 <= interval.toMillis() + 2000;
    String row = String.format("| %s | %,d (of %,d) | %.2f s | %.2f s | %.2f s | %.2f s | %s |", TimeUtils.formatWithHighestUnit(interval),
        sorted.size(), produced.get(), pct(sorted, 0.5) / 1e3, pct(sorted, 0.95) / 1e3, p99 / 1e3,
        sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e3, met ? "met" : "NOT met");
    System.out.println(row);
    return row;
  }

  private static long pct(List<Long> sorted, double q) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /** Puts {@code rate} events per second, in 10 batches a second, for {@code length}. */
  private static void produce(KinesisEmulator kinesis, String stream, int rate, Duration length, AtomicLong produced,
      AtomicBoolean producing) {
    SessionSimulator sim = new SessionSimulator(7, Instant.now());
    long end = System.nanoTime() + length.toNanos();
    try (KinesisClient client = kinesis.newClient()) {
      long next = System.nanoTime();
      while (System.nanoTime() < end) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < Math.max(1, rate / 10); i++) {
          WebEvent e = sim.next();
          batch.add(PutRecordsRequestEntry.builder().partitionKey(e.getSessionId() == null ? e.getEventId() : e.getSessionId())
              .data(SdkBytes.fromByteArray(WebEventJson.toBytes(e))).build());
        }
        if (client.putRecords(r -> r.streamName(stream).records(batch)).failedRecordCount() > 0) {
          throw new IllegalStateException("the emulator rejected records");
        }
        produced.addAndGet(batch.size());
        next += 100_000_000L;
        long sleep = (next - System.nanoTime()) / 1_000_000;
        if (sleep > 0) {
          Thread.sleep(sleep);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producing.set(false);
    }
  }
}
