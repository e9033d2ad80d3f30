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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Delta sinks, parallelism 2, the production pipeline, heap state backend unless {@code
 * --state-backend rocksdb}, all in this JVM):
 *
 * <ol>
 *   <li>Does a high malformed share slow the valid path? The same number of valid events runs
 *       once alone and once mixed with malformed records (default 10%), alternating, in pairs
 *       (default 3), after an untimed mixed warm-up. Compared: valid events/s into the sink (wall
 *       time between the first and the last) and valid events per process CPU-second (from
 *       submission to the job's end), which other load on a shared machine disturbs much less.
 *       Goal: no more than 10% slower. Row counts of both tables are checked (exit status 1).
 *       Each run also reports its GC time and its CPU split by thread ({@link ThreadCpu}), which
 *       says where a malformed share's extra CPU goes.
 *   <li>Memory at a steady rate (default 20,000 records/s, 1% malformed, for 60 s), rate-limited
 *       generator source (the Kinesis emulator cannot sustain that rate): heap used after each
 *       young collection, heap used and process RSS sampled every second after the first 10 s,
 *       and the live heap after a full GC at the start and near the end of that window, which
 *       gives the heap retained per event seen (the dedup state).
 * </ol>
 *
 * <p>The MiniCluster's TaskManager, its JobManager and this driver share the JVM, so heap and RSS
 * are those of the whole process. Run the steady part alone ({@code --valid 0}) so the earlier
 * runs' garbage does not count. Nothing asserts a time. {@code --help} lists the options.
 *
 * <pre>./mvnw -q -pl events-job -am -Pbench verify -DskipTests -Dbench.main=io.tributary.eventsjob.bench.LoadProfileBenchmark \
 *   -Dbench.args="--valid 500000 --repeats 3 --rate 0"
 * ./mvnw -q -pl events-job -am -Pbench verify -DskipTests -Dbench.main=io.tributary.eventsjob.bench.LoadProfileBenchmark \
 *   -Dbench.args="--valid 0 --rate 20000 --seconds 90"</pre>
 */
public final class LoadProfileBenchmark {
  private LoadProfileBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(String.join("\n",
          "LoadProfileBenchmark options (all optional):",
          "  --valid N             valid events of each malformed-share run (1000000)",
          "  --malformed-share X   share of malformed records in the mixed runs (0.1)",
          "  --repeats N           clean/mixed pairs (2), every other pair mixed first; the ratio is of the medians",
          "  --baseline-share X    malformed share of the baseline ('clean') runs (0); e.g. 0.001 compares against a job",
          "                        that sees a trickle of bad input, as production jobs do, instead of none at all",
          "  --warmup N            valid events of each untimed warm-up run, one clean and one mixed (min(valid, 2000000))",
          "  --rate N              events/s of the steady run (20000; 0: no steady run)",
          "  --seconds N           length of the steady run (60); the first 10 s are not sampled",
          "  --steady-malformed X  malformed share of the steady run (0.01)",
          "  --checkpoint-interval MS  checkpoint (= Delta commit) interval of the malformed-share runs (1000)",
          "  --oversize B          include the payload_too_large kind (64 KiB payloads; 1 of the "
              + new MalformedPayloads(0).kinds().size() + " kinds) (true)",
          "  --state-backend NAME  heap (Flink's default) or rocksdb (Managed Flink's; incremental checkpoints,",
          "                        512 MB of managed memory) (heap)",
          "  --dir PATH            where the tables go (tmp/tributary-load-profile, emptied first)"));
      return;
    }
    JobParameters p = JobParameters.fromArgs(args);
    Map<String, String> a = p.asMap();
    long valid = Long.parseLong(a.getOrDefault("valid", "1000000"));
    double share = Double.parseDouble(a.getOrDefault("malformed-share", "0.1"));
    double baselineShare = Double.parseDouble(a.getOrDefault("baseline-share", "0"));
    int repeats = Integer.parseInt(a.getOrDefault("repeats", "2"));
    long warmup = Long.parseLong(a.getOrDefault("warmup", Long.toString(Math.min(valid, 2_000_000))));
    int rate = Integer.parseInt(a.getOrDefault("rate", "20000"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
    double steadyShare = Double.parseDouble(a.getOrDefault("steady-malformed", "0.01"));
    String backend = a.getOrDefault("state-backend", "heap");
    if (!backend.equals("heap") && !backend.equals("rocksdb")) {
      throw new IllegalArgumentException("--state-backend must be heap or rocksdb, not " + backend);
    }
    Settings settings =
        new Settings(
            Boolean.parseBoolean(a.getOrDefault("oversize", "true")),
            Long.parseLong(a.getOrDefault("checkpoint-interval", "1000")),
            backend.equals("rocksdb"));
    Path dir = Paths.get(a.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/tributary-load-profile"));
    org.apache.flink.util.FileUtils.deleteDirectory(dir.toFile());
    System.out.printf(Locale.ROOT, "events-job load profile, %s, %d cores, Java %s, heap limit %,d MiB: %,d valid events, %s%%"
            + " malformed in the mixed runs, %d pairs; steady %,d events/s for %d s%n",
        ZonedDateTime.now(ZoneOffset.UTC).withNano(0), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() >> 20,
        valid, pct(share), repeats, rate, seconds);
    System.out.println("state backend: " + (settings.rocksDb ? "RocksDB, incremental checkpoints" : "heap (HashMapStateBackend)"));
    System.out.println("load average at start: " + loadAverage());
    System.out.printf(Locale.ROOT, "malformed payloads: %s kinds, %,.0f bytes on average%s%n",
        settings.oversize ? "all" : "all but payload_too_large", Mixed.averageMalformedBytes(settings.oversize),
        settings.oversize ? " (the payload_too_large kind is 64 KiB; --oversize false leaves it out)" : "");

    boolean ok = true;
    List<String> lines = new ArrayList<>();
    if (valid > 0 && repeats > 0) {
      // JIT warm-up of both paths, not reported. The mixed input reaches the C2-compiled steady
      // state slowly (three dozen rare reject paths, two row shapes in the sink code): with
      // 500k-event warm-ups its rate still rose by half from the first pair to the third.
      run(settings, dir.resolve("warmup-0"), warmup, 0, 0, 0);
      run(settings, dir.resolve("warmup-1"), Math.round(warmup / (1 - share)), share, 0, 0);
      long total = Math.round(valid / (1 - share));
      long baselineTotal = Math.round(valid / (1 - baselineShare));
      long baselineValid = baselineTotal - malformedBefore(baselineTotal, baselineShare);
      String baselineName = baselineShare == 0 ? "valid only" : pct(baselineShare) + "% malformed (baseline)";
      Measured[] clean = new Measured[repeats];
      Measured[] mixed = new Measured[repeats];
      List<String> cpuLines = new ArrayList<>();
      for (int i = 0; i < repeats; i++) {
        // Alternate, and swap the order in every other pair, so drifting load on a shared machine
        // and late JIT compilation hit both sides alike.
        if (i % 2 == 0) {
          clean[i] = run(settings, dir.resolve("clean-" + i), baselineTotal, baselineShare, 0, 0);
          mixed[i] = run(settings, dir.resolve("mixed-" + i), total, share, 0, 0);
        } else {
          mixed[i] = run(settings, dir.resolve("mixed-" + i), total, share, 0, 0);
          clean[i] = run(settings, dir.resolve("clean-" + i), baselineTotal, baselineShare, 0, 0);
        }
        ok &= clean[i].rate > 0 && mixed[i].rate > 0;
        double cleanCpu = baselineValid / clean[i].cpuSeconds;
        double mixedCpu = valid / mixed[i].cpuSeconds;
        lines.add(String.format(Locale.ROOT, "| %d | %s | %,d | %,.0f | %,.0f | %.1f | %s |", i + 1, baselineName, baselineTotal,
            clean[i].rate, cleanCpu, clean[i].gcSeconds, clean[i].load));
        lines.add(String.format(Locale.ROOT, "| %d | %s%% malformed | %,d | %,.0f | %,.0f | %.1f | %s |", i + 1, pct(share), total,
            mixed[i].rate, mixedCpu, mixed[i].gcSeconds, mixed[i].load));
        lines.add(String.format(Locale.ROOT, "| %d | ratio malformed / baseline | | %.2fx | %.2fx | | |", i + 1,
            mixed[i].rate / clean[i].rate, mixedCpu / cleanCpu));
        cpuLines.add(cpuLine(i + 1, baselineName, clean[i].split));
        cpuLines.add(cpuLine(i + 1, pct(share) + "% malformed", mixed[i].split));
      }
      System.out.println();
      System.out.println("| pair | run | records | valid events/s into the sink (wall) | valid events per CPU-second (process) |"
          + " GC s | load average (1 min) before -> after |");
      System.out.println("| --- | --- | ---: | ---: | ---: | ---: | --- |");
      lines.forEach(System.out::println);
      System.out.println();
      System.out.println("CPU seconds of each run by thread (sampled every " + ThreadCpu.PERIOD_MS + " ms):");
      System.out.println();
      System.out.println("| pair | run | " + String.join(" | ", ThreadCpu.GROUPS) + " | process |");
      System.out.println("| --- | --- |" + " ---: |".repeat(ThreadCpu.GROUPS.size() + 1));
      cpuLines.forEach(System.out::println);
      double c = median(java.util.Arrays.stream(clean).mapToDouble(r -> r.rate).toArray());
      double m = median(java.util.Arrays.stream(mixed).mapToDouble(r -> r.rate).toArray());
      double cc = median(java.util.Arrays.stream(clean).mapToDouble(r -> baselineValid / r.cpuSeconds).toArray());
      double mc = median(java.util.Arrays.stream(mixed).mapToDouble(r -> valid / r.cpuSeconds).toArray());
      System.out.printf(Locale.ROOT, "median wall: %s %,.0f, %s%% malformed %,.0f valid events/s: %.2fx%n", baselineName, c,
          pct(share), m, m / c);
      System.out.printf(Locale.ROOT, "median CPU: %s %,.0f, %s%% malformed %,.0f valid events per CPU-second: %.2fx%n",
          baselineName, cc, pct(share), mc, mc / cc);
      System.out.printf(Locale.ROOT, "valid path with %s%% malformed input (CPU, the figure that load on a shared machine"
              + " disturbs least): %.2fx the clean rate (goal >= 0.90x: %s)%n",
          pct(share), mc / cc, mc / cc >= 0.9 ? "met" : "NOT met");
    }

    if (rate > 0) {
      System.out.println();
      ok &= run(settings, dir.resolve("steady"), (long) rate * seconds, steadyShare, rate, seconds).rate >= 0;
    }
    if (!ok) {
      System.out.println("ERROR: a Delta table does not hold the expected number of rows");
      System.exit(1);
    }
  }

  /** Options that shape every run. */
  static final class Settings {
    /** Whether the mixed runs include the 64 KiB payload_too_large kind ({@code --oversize false} clears it). */
    final boolean oversize;
    /** Checkpoint interval of the unthrottled (pair) runs. */
    final long checkpointMillis;
    /** RocksDB with incremental checkpoints instead of the heap state backend. */
    final boolean rocksDb;

    Settings(boolean oversize, long checkpointMillis, boolean rocksDb) {
      this.oversize = oversize;
      this.checkpointMillis = checkpointMillis;
      this.rocksDb = rocksDb;
    }
  }

  /** What one run measured. */
  static final class Measured {
    /** Valid events per second into the sink; negative on a row-count mismatch, 0 for the steady run. */
    final double rate;
    /** Process CPU seconds, all threads, from submission to the job's end (NaN for the steady run). */
    final double cpuSeconds;
    /** Time the collectors spent (pauses and concurrent work, as the beans count it). */
    final double gcSeconds;
    /** Where the CPU went, by thread (null for the steady run). */
    final ThreadCpu split;
    /** The 1-minute load average before and after. */
    final String load;

    Measured(double rate, double cpuSeconds, double gcSeconds, ThreadCpu split, String load) {
      this.rate = rate;
      this.cpuSeconds = cpuSeconds;
      this.gcSeconds = gcSeconds;
      this.split = split;
      this.load = load;
    }
  }

  private static Measured run(Settings settings, Path lake, long count, double share, int rate, int seconds)
      throws Exception {
    String loadBefore = loadAverage();
    EventsJobConfig config = EventsJobConfig.from(
        JobParameters.of(Map.of("kinesis.stream", "generator", "kinesis.region", "local", "lake.path", lake.toString())),
        new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
    Configuration conf = new Configuration();
    // The dedup state outgrows the JobManager's 5 MB in-memory checkpoints at these sizes.
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY, lake.resolve("_checkpoints").toUri().toString());
    if (settings.rocksDb) {
      // As on Managed Flink: RocksDB, incremental checkpoints, state off the heap in managed memory.
      conf.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, "rocksdb");
      conf.set(org.apache.flink.configuration.CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
      conf.set(org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE,
          org.apache.flink.configuration.MemorySize.parse("512m"));
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    env.enableCheckpointing(rate > 0 ? 5_000 : settings.checkpointMillis);
    EventsPipeline.configure(env); // as the events job runs
    EventsJobBenchmark.Meter.reset();
    DataStream<KinesisRecord> records = env.fromSource(
            new DataGeneratorSource<>(new Mixed(share, settings.oversize), count,
                rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(), TypeInformation.of(KinesisRecord.class)),
            WatermarkStrategy.noWatermarks(), "generated records")
        .uid("generator");
    EventsPipeline.Routed routed = EventsPipeline.route(records, config);
    DataStream<RowData> metered = routed.events().map(new EventsJobBenchmark.Meter())
        .returns(InternalTypeInfo.of(io.tributary.eventsjob.AtomicEventsTable.ROW_TYPE)).name("meter");
    EventsPipeline.sinkToDelta(new EventsPipeline.Routed(metered, routed.quarantine()), config);
    long expectedValid = count - malformedBefore(count, share);
    if (rate == 0) {
      long cpu0 = processCpuNanos();
      long gc0 = gcMillis();
      ThreadCpu split = new ThreadCpu();
      try (split) {
        env.execute("load profile " + lake.getFileName());
      }
      double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
      double gcSeconds = (gcMillis() - gc0) / 1e3;
      String load = loadBefore + " -> " + loadAverage();
      double secs = (EventsJobBenchmark.Meter.LAST.get() - EventsJobBenchmark.Meter.FIRST.get()) / 1e9;
      long metered1 = EventsJobBenchmark.Meter.COUNT.get();
      long committed = committedRows(config.atomicEventsTablePath());
      long quarantined = committedRows(config.quarantineTablePath());
      if (committed != expectedValid || metered1 != expectedValid || quarantined != count - expectedValid) {
        System.out.printf(Locale.ROOT, "ERROR: %,d events metered, %,d committed, %,d quarantined; expected %,d and %,d%n",
            metered1, committed, quarantined, expectedValid, count - expectedValid);
        return new Measured(-1, cpuSeconds, gcSeconds, split, load);
      }
      return new Measured(metered1 / secs, cpuSeconds, gcSeconds, split, load);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long startNanos = System.nanoTime();
    long sampleFrom = startNanos + Duration.ofSeconds(Math.min(10, seconds / 3)).toNanos();
    AfterGc afterGc = new AfterGc(sampleFrom);
    JobClient job = env.executeAsync("steady");
    java.util.concurrent.CompletableFuture<?> result = job.getJobExecutionResult();
    long maxHeap = 0;
    long sumHeap = 0;
    long maxRss = 0;
    long sumRss = 0;
    long maxCommitted = 0;
    int samples = 0;
    long countAtSampleStart = -1;
    long sampleStartNanos = 0;
    long countAtSampleEnd = 0;
    long sampleEndNanos = 0;
    String loadStart = null;
    long liveStart = -1;
    long liveEnd = -1;
    long keysAtLiveEnd = 0;
    while (!result.isDone()) {
      Thread.sleep(1_000);
      long now = System.nanoTime();
      if (now < sampleFrom || result.isDone()) {
        continue;
      }
      if (countAtSampleStart < 0) {
        System.gc(); // a full collection: what is live now, with this many dedup keys
        liveStart = memory.getHeapMemoryUsage().getUsed();
        countAtSampleStart = EventsJobBenchmark.Meter.COUNT.get();
        sampleStartNanos = System.nanoTime();
        loadStart = loadAverage();
        continue;
      }
      if (liveEnd < 0 && now >= startNanos + Duration.ofSeconds(seconds - 3).toNanos()) {
        long keys = EventsJobBenchmark.Meter.COUNT.get();
        System.gc();
        liveEnd = memory.getHeapMemoryUsage().getUsed();
        keysAtLiveEnd = keys;
        continue;
      }
      long heap = memory.getHeapMemoryUsage().getUsed();
      maxCommitted = Math.max(maxCommitted, memory.getHeapMemoryUsage().getCommitted());
      maxHeap = Math.max(maxHeap, heap);
      sumHeap += heap;
      long rss = rssBytes();
      maxRss = Math.max(maxRss, rss);
      sumRss += rss;
      samples++;
      long meteredNow = EventsJobBenchmark.Meter.COUNT.get();
      if (meteredNow < expectedValid) { // the source is still emitting
        countAtSampleEnd = meteredNow;
        sampleEndNanos = now;
      }
    }
    result.get();
    afterGc.close();
    String loadEnd = loadAverage();
    long committed = committedRows(config.atomicEventsTablePath());
    double sampledRate = (countAtSampleEnd - countAtSampleStart) / ((sampleEndNanos - sampleStartNanos) / 1e9) / (1 - share);
    System.out.printf(Locale.ROOT, "steady %,d events/s (%s%% malformed) for %d s: %,d valid events into the sink, %,d committed"
            + " (expected %,d); sampled window %.0f s at %,.0f records/s; load average %s -> %s%n",
        rate, pct(share), seconds, EventsJobBenchmark.Meter.COUNT.get(), committed, expectedValid,
        (sampleEndNanos - sampleStartNanos) / 1e9, sampledRate, loadStart, loadEnd);
    if (liveEnd > 0) {
      System.out.printf(Locale.ROOT, "  live heap (after a full GC): %,d MiB with %,d events in, %,d MiB with %,d in:"
              + " %,.0f bytes per event (dedup key) added%n",
          liveStart >> 20, countAtSampleStart, liveEnd >> 20, keysAtLiveEnd,
          (double) (liveEnd - liveStart) / Math.max(1, keysAtLiveEnd - countAtSampleStart));
    }
    System.out.printf(Locale.ROOT, "  heap used after GC: avg %,d MiB, max %,d MiB over %d collections (%s)%n",
        afterGc.count == 0 ? 0 : afterGc.sum / afterGc.count >> 20, afterGc.max >> 20, afterGc.count, afterGc.collectors);
    System.out.printf(Locale.ROOT, "  heap used (1 s samples, incl. garbage): avg %,d MiB, max %,d MiB; heap committed max %,d MiB,"
            + " limit %,d MiB%n",
        sumHeap / Math.max(1, samples) >> 20, maxHeap >> 20, maxCommitted >> 20, memory.getHeapMemoryUsage().getMax() >> 20);
    System.out.printf(Locale.ROOT, "  process RSS: avg %,d MiB, max %,d MiB (%d samples)%n",
        sumRss / Math.max(1, samples) >> 20, maxRss >> 20, samples);
    boolean complete = committed == expectedValid && EventsJobBenchmark.Meter.COUNT.get() == expectedValid;
    return new Measured(complete ? 0 : -1, Double.NaN, Double.NaN, null, loadBefore + " -> " + loadAverage());
  }

  static long gcMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Heap used just after each garbage collection (all pools), from the collectors' notifications. */
  static final class AfterGc implements javax.management.NotificationListener, AutoCloseable {
    private final long fromNanos;
    private final List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
    final java.util.Set<String> collectors = new java.util.TreeSet<>();
    volatile long max;
    volatile long sum;
    volatile int count;

    AfterGc(long fromNanos) {
      this.fromNanos = fromNanos;
      for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof javax.management.NotificationEmitter) {
          javax.management.NotificationEmitter e = (javax.management.NotificationEmitter) gc;
          e.addNotificationListener(this, null, null);
          emitters.add(e);
        }
      }
    }

    @Override
    public synchronized void handleNotification(javax.management.Notification n, Object handback) {
      if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())
          || System.nanoTime() < fromNanos) {
        return;
      }
      com.sun.management.GarbageCollectionNotificationInfo info = com.sun.management.GarbageCollectionNotificationInfo.from(
          (javax.management.openmbean.CompositeData) n.getUserData());
      if ("System.gc()".equals(info.getGcCause())) {
        return; // the benchmark's own full collections, reported separately
      }
      long used = 0;
      for (java.lang.management.MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
        used += u.getUsed();
      }
      collectors.add(info.getGcName());
      max = Math.max(max, used);
      sum += used;
      count++;
    }

    @Override
    public void close() throws Exception {
      for (javax.management.NotificationEmitter e : emitters) {
        e.removeNotificationListener(this);
      }
    }
  }

  /** One row of the CPU-split table: each group's seconds, then their sum (the process's). */
  private static String cpuLine(int pair, String run, ThreadCpu split) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %d | %s |", pair, run));
    double total = 0;
    for (String group : ThreadCpu.GROUPS) {
      double s = split.seconds().get(group);
      total += s;
      line.append(String.format(Locale.ROOT, " %.1f |", s));
    }
    return line.append(String.format(Locale.ROOT, " %.1f |", total)).toString();
  }

  /** A share as a percentage for the output: "10", "0.1". */
  static String pct(double share) {
    return java.math.BigDecimal.valueOf(share * 100).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** Malformed records among indices [0, count) under {@link Mixed}'s spreading rule. */
  static long malformedBefore(long count, double share) {
    return share <= 0 ? 0 : (long) Math.floor(count * share);
  }

  /** Rows of the table's latest snapshot (from its log's file statistics). */
  static long committedRows(String table) {
    return DeltaTestTables.rowCount(table, Map.of());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
      return f[0];
    } catch (IOException e) {
      return "?";
    }
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
    private final boolean oversize;
    private final EventsJobBenchmark.Records valid = new EventsJobBenchmark.Records();
    private transient byte[][] bad;

    Mixed(double share, boolean oversize) {
      this.share = share;
      this.oversize = oversize;
    }

    /**
     * The malformed payloads one subtask cycles through. Enough of them (about 11 MB) that their
     * raw_payload values overflow a Parquet dictionary, as distinct real-world payloads do; with
     * a few hundred, the quarantine writer kept a dictionary of whole payloads and hashed and
     * compared every payload in full, a cost unique payloads never have.
     */
    static byte[][] malformed(long seed, boolean oversize) {
      MalformedPayloads payloads = new MalformedPayloads(seed);
      byte[][] bad = new byte[5_000][];
      for (int i = 0; i < bad.length; ) {
        io.tributary.events.MalformedPayload p = payloads.next();
        if (oversize || p.getExpectedReason() != io.tributary.events.RejectReason.PAYLOAD_TOO_LARGE) {
          bad[i++] = p.getPayload();
        }
      }
      return bad;
    }

    static double averageMalformedBytes(boolean oversize) {
      return java.util.Arrays.stream(malformed(0, oversize)).mapToInt(b -> b.length).average().orElse(0);
    }

    @Override
    public void open(SourceReaderContext context) throws Exception {
      valid.open(context);
      bad = malformed(context.getIndexOfSubtask(), oversize);
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

}
