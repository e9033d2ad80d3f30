package io.tributary.eventsjob.bench;

import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.MalformedPayloads;
import io.tributary.eventsjob.EventsJobConfig;
import io.tributary.eventsjob.EventsPipeline;
import io.tributary.eventsjob.KinesisRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

/**
 * Two load questions of issue 9 for the events path (generator -> parse/route/dedup -> both
 * Delta sinks, parallelism 2, the production pipeline):
 *
 * <ol>
 *   <li>Does a high malformed share slow the valid path? The same number of valid events runs
 *       once alone and once mixed with malformed records (default 10%); valid events/s into the
 *       sink are compared (goal: no more than 10% slower).
 *   <li>Memory at a steady rate (default 20,000 events/s for 60 s): JVM heap used (the
 *       MiniCluster's TaskManager runs in this JVM) and process RSS, sampled every second.
 * </ol>
 *
 * <pre>./mvnw -q -pl events-job -am -Pbench verify -DskipTests -Dbench.main=io.tributary.eventsjob.bench.LoadProfileBenchmark \
 *   -Dbench.args="--valid 1000000 --malformed-share 0.1 --rate 20000 --seconds 60"</pre>
 */
public final class LoadProfileBenchmark {
  private LoadProfileBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = JobParameters.fromArgs(args).asMap();
    long valid = Long.parseLong(a.getOrDefault("valid", "1000000"));
    double share = Double.parseDouble(a.getOrDefault("malformed-share", "0.1"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "20000"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
    Path dir = Paths.get(a.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/tributary-load-profile"));
    deleteRecursively(dir);
    System.out.printf("events-job load profile: %,d valid events, %.0f%% malformed in the mixed run; %,d events/s for %d s%n",
        valid, share * 100, rate, seconds);

    run(dir.resolve("warmup"), Math.min(valid, 200_000), 0, 0, 0); // JIT warm-up, not reported
    double clean = run(dir.resolve("clean"), valid, 0, 0, 0);
    long total = Math.round(valid / (1 - share));
    double mixed = run(dir.resolve("mixed"), total, share, 0, 0);
    System.out.println();
    System.out.println("| run | records | valid events/s into the sink |");
    System.out.println("| --- | ---: | ---: |");
    System.out.printf("| valid only | %,d | %,.0f |%n", valid, clean);
    System.out.printf("| %.0f%% malformed | %,d | %,.0f |%n", share * 100, total, mixed);
    System.out.printf("valid path with malformed input: %.2fx the clean rate (goal >= 0.90x: %s)%n", mixed / clean,
        mixed / clean >= 0.9 ? "met" : "NOT met");

    System.out.println();
    run(dir.resolve("steady"), (long) rate * seconds, 0.01, rate, seconds);
  }

  /** @return valid events per second into the sink (or 0 for the steady run, which prints memory instead) */
  private static double run(Path lake, long count, double share, int rate, int seconds) throws Exception {
    EventsJobConfig config = EventsJobConfig.from(
        JobParameters.of(Map.of("kinesis.stream", "generator", "kinesis.region", "local", "lake.path", lake.toString())),
        new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
    Configuration conf = new Configuration();
    // The dedup state outgrows the JobManager's 5 MB in-memory checkpoints at these sizes.
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY, lake.resolve("_checkpoints").toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    env.enableCheckpointing(rate > 0 ? 5_000 : 1_000);
    EventsJobBenchmark.Meter.reset();
    DataStream<KinesisRecord> records = env.fromSource(
            new DataGeneratorSource<>(new Mixed(share), count,
                rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(), TypeInformation.of(KinesisRecord.class)),
            WatermarkStrategy.noWatermarks(), "generated records")
        .uid("generator");
    EventsPipeline.Routed routed = EventsPipeline.route(records, config);
    DataStream<RowData> metered = routed.events().map(new EventsJobBenchmark.Meter())
        .returns(InternalTypeInfo.of(io.tributary.eventsjob.AtomicEventsTable.ROW_TYPE)).name("meter");
    EventsPipeline.sinkToDelta(new EventsPipeline.Routed(metered, routed.quarantine()), config);
    if (rate == 0) {
      env.execute("load profile " + lake.getFileName());
      double secs = (EventsJobBenchmark.Meter.LAST.get() - EventsJobBenchmark.Meter.FIRST.get()) / 1e9;
      long committed = DeltaTestTables.snapshot(config.atomicEventsTablePath(), Map.of()).getVersion() >= 0
          ? DeltaTestTables.readAll(config.atomicEventsTablePath(), Map.of()).size() : 0;
      if (committed != EventsJobBenchmark.Meter.COUNT.get()) {
        System.out.printf("ERROR: %,d events metered but %,d committed%n", EventsJobBenchmark.Meter.COUNT.get(), committed);
      }
      return EventsJobBenchmark.Meter.COUNT.get() / secs;
    }
    JobClient job = env.executeAsync("steady");
    java.util.concurrent.CompletableFuture<?> result = job.getJobExecutionResult();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long maxHeap = 0;
    long sumHeap = 0;
    long maxRss = 0;
    int samples = 0;
    AtomicBoolean done = new AtomicBoolean();
    long end = System.nanoTime() + Duration.ofSeconds(seconds + 10).toNanos();
    while (System.nanoTime() < end && !done.get()) {
      Thread.sleep(1_000);
      if (result.isDone()) {
        done.set(true);
      }
      long heap = memory.getHeapMemoryUsage().getUsed();
      maxHeap = Math.max(maxHeap, heap);
      sumHeap += heap;
      maxRss = Math.max(maxRss, rssBytes());
      samples++;
    }
    result.get();
    System.out.printf("steady %,d events/s (1%% malformed) for %d s: %,d events into the sink;%n", rate, seconds,
        EventsJobBenchmark.Meter.COUNT.get());
    System.out.printf("  heap used: avg %,d MiB, max %,d MiB (heap limit %,d MiB); process RSS max %,d MiB%n",
        sumHeap / Math.max(1, samples) >> 20, maxHeap >> 20, memory.getHeapMemoryUsage().getMax() >> 20, maxRss >> 20);
    return 0;
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }

  /** Valid records from {@link EventsJobBenchmark.Records}, with a share replaced by malformed payloads. */
  static final class Mixed implements GeneratorFunction<Long, KinesisRecord> {
    private static final long serialVersionUID = 1L;
    private final double share;
    private final EventsJobBenchmark.Records valid = new EventsJobBenchmark.Records();
    private transient byte[][] bad;

    Mixed(double share) {
      this.share = share;
    }

    @Override
    public void open(SourceReaderContext context) throws Exception {
      valid.open(context);
      MalformedPayloads payloads = new MalformedPayloads(context.getIndexOfSubtask());
      bad = new byte[500][];
      for (int i = 0; i < bad.length; i++) {
        bad[i] = payloads.next().getPayload();
      }
    }

    @Override
    public KinesisRecord map(Long index) throws Exception {
      // Spread evenly: record i is malformed when the share crosses an integer between i and i + 1.
      if (share > 0 && Math.floor((index + 1) * share) > Math.floor(index * share)) {
        return new KinesisRecord(bad[(int) (index % bad.length)], "generator", "shardId-000000000000",
            Long.toString(index), System.currentTimeMillis());
      }
      return valid.map(index);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
