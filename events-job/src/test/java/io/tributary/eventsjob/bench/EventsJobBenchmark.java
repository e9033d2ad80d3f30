package io.tributary.eventsjob.bench;

import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.events.WebEventJson;
import io.tributary.eventsjob.AtomicEventsTable;
import io.tributary.eventsjob.EventsJobConfig;
import io.tributary.eventsjob.EventsPipeline;
import io.tributary.eventsjob.KinesisRecord;
import io.tributary.kinesis.KinesisEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Throughput of the events job, in one JVM, four runs of the production topology (parse, route,
 * dedup by event_id) on local MiniClusters:
 *
 * <ol>
 *   <li>{@code kinesis -> delta}: the Kinesis emulator (pre-filled stream) into both Delta tables;
 *   <li>{@code kinesis -> discard}: the same stream re-read from TRIM_HORIZON into a discarding sink
 *       (what the emulator and the source deliver on their own);
 *   <li>{@code generator -> delta}: generated Kinesis-like records (unique event ids) into Delta:
 *       the job's own ceiling, no Kinesis;
 *   <li>{@code generator -> discard}: the same without Delta (parsing and dedup alone).
 * </ol>
 *
 * <p>An untimed generator run warms the JVM up first. Throughput is measured where events enter the sink: (events) / (time between the first and
 * the last event there), so job start-up is excluded. For Delta runs the time until every event
 * is committed (visible to a Delta reader) is reported too. Nothing asserts a time; the row counts
 * of the Delta tables are checked and a mismatch makes the exit status 1. Not a test: run it with
 * {@code ./mvnw -q -pl events-job -am -Pbench verify -DskipTests -Dbench.args="..."}.
 */
public final class EventsJobBenchmark {
  private EventsJobBenchmark() {}

  static final class Options {
    int events = 20_000;
    int shards = 4;
    int parallelism = 2;
    int generatorEvents = 200_000;
    int warmupEvents = 50_000;
    Duration checkpointInterval = Duration.ofSeconds(1);
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "tributary-events-bench");
    Path out;
  }

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    if (o == null) {
      return;
    }
    org.apache.flink.util.FileUtils.deleteDirectory(o.dir.toFile());
    Files.createDirectories(o.dir);
    if (o.warmupEvents > 0) {
      // Untimed: so the first timed run does not pay for class loading and JIT compilation.
      Options warmup = new Options();
      warmup.generatorEvents = o.warmupEvents;
      warmup.parallelism = o.parallelism;
      warmup.checkpointInterval = o.checkpointInterval;
      warmup.dir = o.dir.resolve("warmup");
      generatorRun(warmup, true);
    }
    List<String[]> results = new ArrayList<>();
    boolean ok = true;
    String putRate;
    try (KinesisEmulator kinesis = KinesisEmulator.builder().logFile(o.dir.resolve("kinesis-emulator.log")).build().start()) {
      String stream = "bench";
      kinesis.createStream(stream, o.shards);
      long t0 = System.nanoTime();
      put(kinesis, stream, o.events);
      double putSeconds = (System.nanoTime() - t0) / 1e9;
      putRate = String.format(Locale.ROOT, "%,.0f", o.events / putSeconds);
      System.out.printf(Locale.ROOT, "Put %,d events into %d shards in %.1f s (%s events/s)%n", o.events, o.shards, putSeconds, putRate);

      Result kd = kinesisRun(o, kinesis, stream, true);
      ok &= kd.ok;
      results.add(kd.row("kinesis -> delta", o.events));
      Result kn = kinesisRun(o, kinesis, stream, false);
      results.add(kn.row("kinesis -> discard", o.events));
    }
    Result gd = generatorRun(o, true);
    ok &= gd.ok;
    results.add(gd.row("generator -> delta", o.generatorEvents));
    Result gn = generatorRun(o, false);
    results.add(gn.row("generator -> discard", o.generatorEvents));

    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT,
        "events-job benchmark, %s, %d cores, Java %s, parallelism %d, checkpoint interval %s, %d shards%n%n",
        ZonedDateTime.now(ZoneOffset.UTC).withNano(0), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), o.parallelism, o.checkpointInterval, o.shards));
    md.append("emulator PutRecords rate while filling the stream: ").append(putRate).append(" events/s\n\n");
    md.append("| run | events | events/s into the sink | first→last event s | all committed after s |\n");
    md.append("| --- | ---: | ---: | ---: | ---: |\n");
    for (String[] r : results) {
      md.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.println();
    System.out.print(md);
    if (o.out != null) {
      Files.writeString(o.out, md.toString(), StandardCharsets.UTF_8);
    }
    if (!ok) {
      System.out.println("ERROR: a Delta table does not hold the expected number of rows");
      System.exit(1);
    }
  }

  /** Counts events entering the sink and when the first and last did; static: one JVM, one run at a time. */
  static final class Meter extends RichMapFunction<RowData, RowData> {
    private static final long serialVersionUID = 1L;
    static final AtomicLong COUNT = new AtomicLong();
    static final AtomicLong FIRST = new AtomicLong();
    static final AtomicLong LAST = new AtomicLong();

    static void reset() {
      COUNT.set(0);
      FIRST.set(0);
      LAST.set(0);
    }

    @Override
    public RowData map(RowData row) {
      long now = System.nanoTime();
      FIRST.compareAndSet(0, now);
      LAST.set(now);
      COUNT.incrementAndGet();
      return row;
    }
  }

  static final class Result {
    double seconds;
    double committedSeconds = Double.NaN;
    boolean ok = true;

    String[] row(String name, long events) {
      return new String[] {
        name,
        String.format(Locale.ROOT, "%,d", events),
        String.format(Locale.ROOT, "%,.0f", events / seconds),
        String.format(Locale.ROOT, "%.2f", seconds),
        Double.isNaN(committedSeconds) ? "-" : String.format(Locale.ROOT, "%.2f", committedSeconds)
      };
    }
  }

  private static StreamExecutionEnvironment env(Options o) {
    Configuration conf = new Configuration();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(o.parallelism, conf);
    env.enableCheckpointing(o.checkpointInterval.toMillis());
    EventsPipeline.configure(env); // as the events job runs
    return env;
  }

  private static Result kinesisRun(Options o, KinesisEmulator kinesis, String stream, boolean delta) throws Exception {
    Path lake = o.dir.resolve(delta ? "kinesis-delta" : "kinesis-discard");
    Map<String, String> p = new HashMap<>();
    p.put("kinesis.stream", stream);
    p.put("kinesis.region", kinesis.region());
    p.put("kinesis.endpoint", kinesis.endpoint().toString());
    p.put("kinesis.access-key-id", kinesis.accessKeyId());
    p.put("kinesis.secret-access-key", kinesis.secretAccessKey());
    p.put("lake.path", lake.toString());
    EventsJobConfig config =
        EventsJobConfig.from(JobParameters.of(p), new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
    StreamExecutionEnvironment env = env(o);
    Meter.reset();
    EventsPipeline.Routed routed = EventsPipeline.route(EventsPipeline.source(env, config), config);
    DataStream<RowData> metered = meter(routed.events());
    if (delta) {
      EventsPipeline.sinkToDelta(new EventsPipeline.Routed(metered, routed.quarantine()), config);
    } else {
      metered.sinkTo(new DiscardingSink<>());
    }
    JobClient job = env.executeAsync("bench kinesis " + (delta ? "delta" : "discard"));
    Result r = new Result();
    try {
      awaitCount(o.events, Duration.ofMinutes(10));
      r.seconds = (Meter.LAST.get() - Meter.FIRST.get()) / 1e9;
      if (delta) {
        r.ok = awaitTable(config.atomicEventsTablePath(), o.events, Duration.ofMinutes(2));
        r.committedSeconds = (System.nanoTime() - Meter.FIRST.get()) / 1e9;
      }
    } finally {
      job.cancel().get();
    }
    return r;
  }

  private static Result generatorRun(Options o, boolean delta) throws Exception {
    Path lake = o.dir.resolve(delta ? "generator-delta" : "generator-discard");
    EventsJobConfig config =
        EventsJobConfig.from(
            JobParameters.of(Map.of("kinesis.stream", "generator", "kinesis.region", "local", "lake.path", lake.toString())),
            new Secrets(k -> null, Secrets.fixed(Map.of())),
            k -> null);
    StreamExecutionEnvironment env = env(o);
    Meter.reset();
    DataStream<KinesisRecord> records =
        env.fromSource(
                new DataGeneratorSource<>(new Records(), o.generatorEvents, TypeInformation.of(KinesisRecord.class)),
                WatermarkStrategy.noWatermarks(),
                "generated records")
            .uid("generator");
    EventsPipeline.Routed routed = EventsPipeline.route(records, config);
    DataStream<RowData> metered = meter(routed.events());
    if (delta) {
      EventsPipeline.sinkToDelta(new EventsPipeline.Routed(metered, routed.quarantine()), config);
    } else {
      metered.sinkTo(new DiscardingSink<>());
    }
    env.execute("bench generator " + (delta ? "delta" : "discard")); // bounded: ends after the final commit
    Result r = new Result();
    r.seconds = (Meter.LAST.get() - Meter.FIRST.get()) / 1e9;
    if (delta) {
      r.committedSeconds = (System.nanoTime() - Meter.FIRST.get()) / 1e9;
      r.ok = DeltaTestTables.readAll(config.atomicEventsTablePath(), Map.of()).size() == o.generatorEvents;
    }
    return r;
  }

  private static DataStream<RowData> meter(DataStream<RowData> events) {
    return events.map(new Meter()).returns(InternalTypeInfo.of(AtomicEventsTable.ROW_TYPE)).name("meter");
  }

  private static void awaitCount(long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Meter.COUNT.get() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Only " + Meter.COUNT.get() + " of " + n + " events after " + timeout);
      }
      Thread.sleep(10);
    }
  }

  private static boolean awaitTable(String table, long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long rows = 0;
    while (System.nanoTime() < deadline) {
      rows = committedRows(table);
      if (rows >= n) {
        return rows == n;
      }
      Thread.sleep(100);
    }
    System.out.println("ERROR: " + table + " has " + rows + " rows, expected " + n);
    return false;
  }

  private static long committedRows(String table) {
    return DeltaTestTables.readAll(table, Map.of()).size();
  }

  /** Kinesis-like records from a pool of simulated events, each with a fresh event_id from its index. */
  static final class Records implements GeneratorFunction<Long, KinesisRecord> {
    private static final long serialVersionUID = 1L;
    private static final int POOL = 1_000;
    private transient byte[][] templates;
    private transient int[] idOffsets;
    private transient String shard;

    @Override
    public void open(SourceReaderContext context) {
      SessionSimulator sim = new SessionSimulator(context.getIndexOfSubtask(), Instant.parse("2026-11-22T00:00:00Z"));
      templates = new byte[POOL][];
      idOffsets = new int[POOL];
      for (int i = 0; i < POOL; i++) {
        WebEvent e = sim.next();
        templates[i] = WebEventJson.toBytes(e);
        idOffsets[i] = new String(templates[i], StandardCharsets.UTF_8).indexOf(e.getEventId());
      }
      shard = String.format(Locale.ROOT, "shardId-%012d", context.getIndexOfSubtask());
    }

    @Override
    public KinesisRecord map(Long index) {
      int t = (int) (index % POOL);
      byte[] payload = templates[t].clone();
      byte[] id = new UUID(0x7472696275746172L, index).toString().getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(id, 0, payload, idOffsets[t], id.length); // ASCII JSON prefix: char offset = byte offset
      return new KinesisRecord(payload, "generator", shard, Long.toString(index), System.currentTimeMillis());
    }
  }

  private static void put(KinesisEmulator kinesis, String stream, int n) {
    SessionSimulator sim = new SessionSimulator(42, Instant.parse("2026-11-22T00:00:00Z"));
    try (KinesisClient client = kinesis.newClient()) {
      for (int done = 0; done < n; ) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < 500 && done + i < n; i++) {
          WebEvent e = sim.next();
          batch.add(PutRecordsRequestEntry.builder().partitionKey(e.getEventId()).data(SdkBytes.fromByteArray(WebEventJson.toBytes(e))).build());
        }
        PutRecordsResponse response = client.putRecords(r -> r.streamName(stream).records(batch));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
          throw new IllegalStateException(response.failedRecordCount() + " records rejected by the emulator");
        }
        done += batch.size();
      }
    }
  }

  private static Options parse(String[] args) {
    Options o = new Options();
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(String.join("\n",
          "EventsJobBenchmark options (all optional):",
          "  --events N               events put into the emulator stream (20000)",
          "  --shards N               shards of that stream (4)",
          "  --generator-events N     events of the generator runs (200000)",
          "  --warmup-events N        untimed generator -> delta run first (50000; 0: none)",
          "  --parallelism N          Flink parallelism (2)",
          "  --checkpoint-interval D  e.g. 1s (1s)",
          "  --dir PATH               where the tables go (tmp/tributary-events-bench, emptied first)",
          "  --out FILE               also write the result table (markdown) there"));
      return null;
    }
    JobParameters p = JobParameters.fromArgs(args);
    if (p.contains("events")) o.events = Integer.parseInt(p.raw("events"));
    if (p.contains("shards")) o.shards = Integer.parseInt(p.raw("shards"));
    if (p.contains("generator-events")) o.generatorEvents = Integer.parseInt(p.raw("generator-events"));
    if (p.contains("warmup-events")) o.warmupEvents = Integer.parseInt(p.raw("warmup-events"));
    if (p.contains("parallelism")) o.parallelism = Integer.parseInt(p.raw("parallelism"));
    if (p.contains("checkpoint-interval")) o.checkpointInterval = org.apache.flink.util.TimeUtils.parseDuration(p.raw("checkpoint-interval"));
    if (p.contains("dir")) o.dir = Paths.get(p.raw("dir"));
    if (p.contains("out")) o.out = Paths.get(p.raw("out"));
    return o;
  }

}
