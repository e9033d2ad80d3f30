package io.tributary.bench.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.to_date;

import io.tributary.bench.MiniClusterJobs;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.DeltaSinkOptions;
import io.tributary.delta.parquet.DictionaryAdvisor;
import io.tributary.delta.parquet.ParquetFileAppender;
import io.tributary.delta.parquet.RowDataWriteSupport;
import io.tributary.events.ParseResult;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEventJson;
import io.tributary.events.WebEventParser;
import io.tributary.eventsjob.AtomicEventsTable;
import io.tributary.eventsjob.EventIdKey;
import io.tributary.eventsjob.EventsJobConfig;
import io.tributary.eventsjob.EventsPipeline;
import io.tributary.eventsjob.KinesisRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Sink-path comparison, one JVM, one machine, the same number of cores for every run:
 *
 * <ol>
 *   <li><b>Spark</b>: Spark Structured Streaming (local[cores]) + delta-spark reads the payloads as
 *       JSON lines (file source, trigger AvailableNow, maxFilesPerTrigger), parses them with
 *       {@code from_json} into the columns of {@code atomic_events}, appends to Delta partitioned by
 *       {@code event_date} (checkpoint location set);
 *   <li><b>Tributary</b>: the events pipeline ({@link EventsPipeline#route} parse + dedup, then
 *       {@link EventsPipeline#sinkToDelta}) with the job's environment settings ({@link
 *       EventsPipeline#configure}), parallelism = cores, on a MiniCluster started before anything
 *       is timed (as the SparkSession is), fed by a generator source that hands out the same
 *       payloads as Kinesis-like records; the final checkpoint is triggered as soon as the input
 *       is exhausted ({@link MiniClusterJobs});
 *   <li><b>raw Parquet</b> (the ceiling): one thread per core parses the same payloads with the
 *       same parser and writes the rows with the sink's own Parquet writer ({@link
 *       ParquetFileAppender} + {@link RowDataWriteSupport}), one open file per {@code event_date},
 *       sink defaults for codec, row group, page and target file size; no Flink, no Delta log.
 * </ol>
 *
 * <p>The payloads are generated once ({@link SessionSimulator}, fixed seed, {@link
 * WebEventJson#toBytes}), held in memory for the Tributary and raw runs and written as JSON-lines
 * files for Spark before anything is timed. Each engine first does an untimed warm-up run on
 * separate tables, then {@code --repeats} rounds of every timed run are interleaved and each
 * run's median round is reported (the JIT keeps improving for several runs). Throughput is wall
 * time from submission to the end of the run (Flink: bounded job ends after the final commit;
 * Spark: AvailableNow query terminated), so job start-up is included for both. Each timed run also reports the process CPU time it used (all JVM threads, GC and JIT
 * included), rows per CPU-second, GC time and the load average: on a shared machine CPU time is
 * disturbed much less than wall time. A reference run of the Tributary pipeline without dedup (no
 * keyBy, no keyed state; {@code --no-dedup-run false} skips it) separates the cost of dedup, and
 * {@code --spark-dedup true} adds a Spark run that deduplicates by event_id too (like for like). Row
 * counts of the outputs are checked (Delta tables read by Spark); a mismatch makes the exit status
 * 1. Nothing asserts a time. A reference raw run that also drops repeated event ids with an
 * in-memory hash set per thread ({@code --raw-dedup-run false} skips it) is the ceiling of a
 * deduplicating pipeline: Tributary with dedup is compared with it, Tributary without dedup with the
 * plain ceiling.
 */
public final class SparkStreamingBenchmark {
  private SparkStreamingBenchmark() {}

  static final class Options {
    int events = 1_000_000;
    int warmupEvents = 100_000;
    int cores = Runtime.getRuntime().availableProcessors();
    int files = 40;
    int maxFilesPerTrigger = 4;
    long seed = 42;
    long checkpointMillis = 5_000;
    boolean noDedupRun = true;
    boolean rawDedupRun = true;
    boolean spark = true;
    boolean sparkDedup = false;
    /** events.dedup-scope of the Tributary run with dedup. */
    io.tributary.eventsjob.DedupScope dedupScope = io.tributary.eventsjob.DedupScope.STREAM;
    int repeats = 1;
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "tributary-spark-bench");
    Path out;
  }

  /** The payloads of the current Flink run (one JVM, local environment: the generator reads them directly). */
  static volatile byte[][] payloads;
  /** The Tributary runs' events.dedup-scope (--dedup-scope). */
  static volatile io.tributary.eventsjob.DedupScope dedupScope = io.tributary.eventsjob.DedupScope.STREAM;

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    if (o == null) {
      return;
    }
    dedupScope = o.dedupScope;
    org.apache.flink.util.FileUtils.deleteDirectory(o.dir.toFile());
    Files.createDirectories(o.dir);

    long t0 = System.nanoTime();
    byte[][] warmup = generate(o.seed + 1, o.warmupEvents);
    byte[][] timed = generate(o.seed, o.events);
    long bytes = 0;
    for (byte[] p : timed) {
      bytes += p.length;
    }
    // Warm-up files as large as the timed ones, so Spark's warm-up runs micro-batches of the same shape.
    writeJsonLines(warmup, o.dir.resolve("spark-input-warmup"),
        (int) Math.max(1, Math.round((double) o.files * o.warmupEvents / Math.max(1, o.events))));
    writeJsonLines(timed, o.dir.resolve("spark-input"), o.files);
    System.out.printf(Locale.ROOT, "Generated %,d payloads (%,.0f bytes on average) + %,d warm-up in %.1f s%n",
        o.events, (double) bytes / o.events, o.warmupEvents, (System.nanoTime() - t0) / 1e9);

    SparkSession spark = spark(o);
    MiniClusterJobs flink = flinkCluster(o);
    List<String[]> rows = new ArrayList<>();
    boolean ok = true;
    try {
      // Warm-ups (untimed), then --repeats rounds of every timed run, interleaved.
      if (o.spark) {
        sparkRun(spark, o, o.dir.resolve("spark-input-warmup"), o.dir.resolve("spark-warmup"), false);
        if (o.sparkDedup) {
          sparkRun(spark, o, o.dir.resolve("spark-input-warmup"), o.dir.resolve("spark-dedup-warmup"), true);
        }
      }
      flinkRun(flink, o, warmup, o.dir.resolve("tributary-warmup"), true);
      rawRun(o, warmup, o.dir.resolve("raw-warmup"), true);
      if (o.rawDedupRun) {
        rawRun(o, warmup, o.dir.resolve("raw-dedup-warmup"), true, true, new long[1]);
      }
      List<Timed> sparkRuns = new ArrayList<>();
      List<Timed> sparkDedupRuns = new ArrayList<>();
      List<Double> sparkLates = new ArrayList<>();
      List<Timed> tributaryRuns = new ArrayList<>();
      List<Timed> noDedupRuns = new ArrayList<>();
      List<Timed> parseRuns = new ArrayList<>();
      List<Timed> rawRuns = new ArrayList<>();
      List<Timed> rawDedupRuns = new ArrayList<>();
      long sparkRows = -1;
      long tributaryRows = -1;
      long[] rawRows = new long[1];
      for (int round = 1; round <= o.repeats; round++) {
        String suffix = o.repeats == 1 ? "" : "-" + round;
        if (o.spark) {
          Path table = o.dir.resolve("spark-delta" + suffix);
          Phase phase = Phase.start();
          double seconds = sparkRun(spark, o, o.dir.resolve("spark-input"), table, false);
          phase.end();
          sparkRuns.add(new Timed(seconds, phase));
          sparkLates.add(lastSparkLateHalfRowsPerSecond);
          sparkRows = spark.read().format("delta").load(table.toString()).count();
          ok &= check("Spark Delta table", sparkRows, o.events);
        }
        // Reference: Spark doing Tributary's dedup too, for a like-for-like comparison.
        if (o.spark && o.sparkDedup) {
          Path table = o.dir.resolve("spark-dedup-delta" + suffix);
          Phase phase = Phase.start();
          double seconds = sparkRun(spark, o, o.dir.resolve("spark-input"), table, true);
          phase.end();
          sparkDedupRuns.add(new Timed(seconds, phase));
          ok &= check("Spark (dedup) Delta table", spark.read().format("delta").load(table.toString()).count(), o.events);
        }

        Path lake = o.dir.resolve("tributary" + suffix);
        Phase phase = Phase.start();
        double seconds = flinkRun(flink, o, timed, lake, true);
        phase.end();
        tributaryRuns.add(new Timed(seconds, phase));
        String tributaryTable = config(lake).atomicEventsTablePath();
        tributaryRows = spark.read().format("delta").load(tributaryTable).count();
        ok &= check("Tributary Delta table", tributaryRows, o.events);
        if (round == 1) {
          String tributarySchema = spark.read().format("delta").load(tributaryTable).schema().simpleString();
          System.out.println("Tributary table schema: " + tributarySchema);
          if (o.spark) {
            String sparkSchema =
                spark.read().format("delta").load(o.dir.resolve("spark-delta" + suffix).toString()).schema().simpleString();
            System.out.println("Spark table schema:     " + sparkSchema);
            if (!sparkSchema.equals(tributarySchema)) {
              System.out.println("NOTE: the schemas differ (nullability is not part of simpleString; see above)");
            }
          }
        }

        // Diagnostic: the same pipeline without dedup (no keyBy, no keyed state), separating its cost.
        if (o.noDedupRun) {
          Path noDedupLake = o.dir.resolve("tributary-no-dedup" + suffix);
          phase = Phase.start();
          seconds = flinkRun(flink, o, timed, noDedupLake, false);
          phase.end();
          noDedupRuns.add(new Timed(seconds, phase));
          long noDedupRows = spark.read().format("delta").load(config(noDedupLake).atomicEventsTablePath()).count();
          ok &= check("Tributary (no dedup) Delta table", noDedupRows, o.events);
        }

        // Raw Parquet (ceiling), and parsing alone for reference.
        phase = Phase.start();
        seconds = parseOnly(o, timed);
        phase.end();
        parseRuns.add(new Timed(seconds, phase));
        Path rawDir = o.dir.resolve("raw-parquet" + suffix);
        phase = Phase.start();
        seconds = rawRun(o, timed, rawDir, true, false, rawRows);
        phase.end();
        rawRuns.add(new Timed(seconds, phase));
        ok &= check("raw Parquet files", rawRows[0], o.events);
        long rawRead = spark.read().parquet(rawDir.toString()).count();
        ok &= check("raw Parquet files (read by Spark)", rawRead, o.events);
        if (o.rawDedupRun) {
          Path rawDedupDir = o.dir.resolve("raw-parquet-dedup" + suffix);
          long[] rawDedupRows = new long[1];
          phase = Phase.start();
          seconds = rawRun(o, timed, rawDedupDir, true, true, rawDedupRows);
          phase.end();
          rawDedupRuns.add(new Timed(seconds, phase));
          ok &= check("raw Parquet files (dedup)", rawDedupRows[0], o.events);
        }
      }
      Timed sparkMedian = o.spark ? Timed.median(sparkRuns) : null;
      double sparkSeconds = o.spark ? sparkMedian.seconds : Double.NaN;
      Phase sparkPhase = o.spark ? sparkMedian.phase : null;
      double sparkLate = o.spark ? median(sparkLates) : Double.NaN;
      Timed tributaryMedian = Timed.median(tributaryRuns);
      double tributarySeconds = tributaryMedian.seconds;
      Phase tributaryPhase = tributaryMedian.phase;
      Timed rawMedian = Timed.median(rawRuns);
      double rawSeconds = rawMedian.seconds;
      Phase rawPhase = rawMedian.phase;
      Timed parseMedian = Timed.median(parseRuns);
      double parseSeconds = parseMedian.seconds;
      Phase parsePhase = parseMedian.phase;
      Timed noDedupMedian = o.noDedupRun ? Timed.median(noDedupRuns) : Timed.NONE;
      Phase noDedupPhase = noDedupMedian.phase;
      double noDedupSeconds = noDedupMedian.seconds;
      Timed rawDedupMedian = o.rawDedupRun ? Timed.median(rawDedupRuns) : Timed.NONE;
      Phase rawDedupPhase = rawDedupMedian.phase;
      double rawDedupSeconds = rawDedupMedian.seconds;
      boolean withSparkDedup = o.spark && o.sparkDedup;
      Timed sparkDedupMedian = withSparkDedup ? Timed.median(sparkDedupRuns) : Timed.NONE;
      Phase sparkDedupPhase = sparkDedupMedian.phase;
      double sparkDedupSeconds = sparkDedupMedian.seconds;
      if (o.repeats > 1) {
        System.out.println();
        System.out.println("Every round (seconds / process CPU s); the tables below show each run's median round by wall time:");
        if (o.spark) {
          System.out.println("  Spark:                 " + Timed.list(sparkRuns));
        }
        if (withSparkDedup) {
          System.out.println("  Spark (dedup):         " + Timed.list(sparkDedupRuns));
        }
        System.out.println("  Tributary:             " + Timed.list(tributaryRuns));
        if (o.noDedupRun) {
          System.out.println("  Tributary (no dedup):  " + Timed.list(noDedupRuns));
        }
        System.out.println("  raw Parquet (ceiling): " + Timed.list(rawRuns));
        if (o.rawDedupRun) {
          System.out.println("  raw Parquet + dedup:   " + Timed.list(rawDedupRuns));
        }
        System.out.println("  parse only:            " + Timed.list(parseRuns));
      }

      double spark1 = o.events / sparkSeconds / o.cores;
      double trib1 = o.events / tributarySeconds / o.cores;
      double raw1 = o.events / rawSeconds / o.cores;
      if (o.spark) {
        rows.add(row("Spark 4.2 Structured Streaming + delta-spark 4.4 (file source, AvailableNow)", o, sparkSeconds, sparkPhase));
      }
      rows.add(row("Tributary events pipeline (generator -> parse/dedup -> Delta sink), dedup by " + o.dedupScope, o,
          tributarySeconds, tributaryPhase));
      rows.add(row("raw Parquet: parse + sink's Parquet writer, no Flink, no Delta log (ceiling)", o, rawSeconds, rawPhase));
      if (noDedupPhase != null) {
        rows.add(row("(reference) Tributary without dedup (no keyBy, no keyed state)", o, noDedupSeconds, noDedupPhase));
      }
      if (rawDedupPhase != null) {
        rows.add(row("(reference) raw Parquet + dedup: the ceiling, also dropping repeated event ids (in-memory hash set per thread)",
            o, rawDedupSeconds, rawDedupPhase));
      }
      if (withSparkDedup) {
        rows.add(row("(reference) Spark with dropDuplicatesWithinWatermark(event_id), 1 h watermark on ingest time", o,
            sparkDedupSeconds, sparkDedupPhase));
      }
      rows.add(row("(reference) parse only, same parser, no output", o, parseSeconds, parsePhase));
      if (o.spark) {
        rows.add(new String[] {"(reference) Spark, later half of its micro-batches only (sum of batch times)", "-",
            String.format(Locale.ROOT, "%,.0f", sparkLate), String.format(Locale.ROOT, "%,.0f", sparkLate / o.cores), "-", "-",
            "-", "-"});
      }

      StringBuilder md = new StringBuilder();
      md.append(String.format(Locale.ROOT,
          "Sink-path benchmark, %s, %d cores used (%d available), Java %s, %,d events (%,.0f B JSON avg), "
              + "Flink checkpoint interval %d ms, Spark %d files / maxFilesPerTrigger %d%n%n",
          ZonedDateTime.now(ZoneOffset.UTC).withNano(0), o.cores, Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"), o.events, (double) bytes / o.events, o.checkpointMillis, o.files,
          o.maxFilesPerTrigger));
      md.append("| run | seconds | rows/s | rows/s per core | process CPU s | rows per CPU-second | GC s | load avg before -> after |\n"
          + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
      for (String[] r : rows) {
        md.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      md.append(System.lineSeparator());
      if (o.spark) {
        md.append(String.format(Locale.ROOT, "Tributary / Spark (per core): %.2fx (goal >= 3x: %s)%n", trib1 / spark1,
            trib1 / spark1 >= 3 ? "met" : "NOT met"));
      }
      md.append(String.format(Locale.ROOT, "Tributary / raw Parquet ceiling: %.2fx (goal >= 0.85x: %s)%n", trib1 / raw1,
          trib1 / raw1 >= 0.85 ? "met" : "NOT met"));
      if (o.spark) {
        md.append(String.format(Locale.ROOT, "Spark / raw Parquet ceiling: %.2fx%n", spark1 / raw1));
        md.append(String.format(Locale.ROOT, "By CPU (rows per process CPU-second): Tributary / Spark %.2fx%n",
            tributaryPhase.rowsPerCpuSecond(o.events) / sparkPhase.rowsPerCpuSecond(o.events)));
        md.append(String.format(Locale.ROOT, "Tributary / Spark later-half micro-batches (per core): %.2fx%n", trib1 / (sparkLate / o.cores)));
        if (o.noDedupRun) {
          md.append(String.format(Locale.ROOT, "Like for like, neither deduplicates: Tributary without dedup / Spark %.2fx wall, %.2fx by CPU%n",
              sparkSeconds / noDedupSeconds,
              noDedupPhase.rowsPerCpuSecond(o.events) / sparkPhase.rowsPerCpuSecond(o.events)));
        }
      }
      if (withSparkDedup) {
        md.append(String.format(Locale.ROOT, "Like for like, both deduplicate by event_id: Tributary / Spark with dedup %.2fx wall, %.2fx by CPU%n",
            sparkDedupSeconds / tributarySeconds,
            tributaryPhase.rowsPerCpuSecond(o.events) / sparkDedupPhase.rowsPerCpuSecond(o.events)));
      }
      md.append(String.format(Locale.ROOT, "By CPU (rows per process CPU-second): Tributary / raw %.2fx%n",
          tributaryPhase.rowsPerCpuSecond(o.events) / rawPhase.rowsPerCpuSecond(o.events)));
      if (noDedupPhase != null) {
        md.append(String.format(Locale.ROOT, "Like for like, neither deduplicates: Tributary without dedup / raw %.2fx wall, %.2fx by CPU%n",
            rawSeconds / noDedupSeconds,
            noDedupPhase.rowsPerCpuSecond(o.events) / rawPhase.rowsPerCpuSecond(o.events)));
      }
      if (rawDedupPhase != null) {
        md.append(String.format(Locale.ROOT, "Like for like, both deduplicate: Tributary / raw + dedup %.2fx wall, %.2fx by CPU%n",
            rawDedupSeconds / tributarySeconds,
            tributaryPhase.rowsPerCpuSecond(o.events) / rawDedupPhase.rowsPerCpuSecond(o.events)));
      }
      md.append(String.format(Locale.ROOT, "Row counts: Spark table %,d, Tributary table %,d, raw files %,d (expected %,d)%n",
          sparkRows, tributaryRows, rawRows[0], o.events));
      System.out.println();
      System.out.print(md);
      if (o.out != null) {
        Files.writeString(o.out, md.toString());
      }
    } finally {
      flink.close();
      spark.stop();
    }
    if (!ok) {
      System.out.println("ERROR: an output does not hold the expected number of rows");
      System.exit(1);
    }
    System.exit(0); // Spark and Flink leave non-daemon threads behind
  }

  private static String[] row(String name, Options o, double seconds, Phase phase) {
    return new String[] {
      name,
      String.format(Locale.ROOT, "%.2f", seconds),
      String.format(Locale.ROOT, "%,.0f", o.events / seconds),
      String.format(Locale.ROOT, "%,.0f", o.events / seconds / o.cores),
      String.format(Locale.ROOT, "%.1f", phase.cpuSeconds()),
      String.format(Locale.ROOT, "%,.0f", phase.rowsPerCpuSecond(o.events)),
      String.format(Locale.ROOT, "%.1f", phase.gcSeconds()),
      phase.loadBefore + " -> " + phase.loadAfter
    };
  }

  /**
   * Process CPU time (all threads, including GC and JIT), GC time and load average over one timed
   * run. On a shared machine CPU time is disturbed less than wall time by other processes.
   */
  static final class Phase {
    private long cpu0;
    private long cpu1;
    private long gc0;
    private long gc1;
    String loadBefore;
    String loadAfter;

    /**
     * Starts timing after a full collection, so that a run does not pay (in process CPU time, GC
     * threads included) for the garbage the previous run left, e.g. Spark's before Tributary's.
     */
    static Phase start() {
      System.gc();
      try {
        Thread.sleep(200); // let the collector's and the JIT's background threads settle
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Phase p = new Phase();
      p.loadBefore = loadAverage();
      p.gc0 = gcMillis();
      p.cpu0 = cpuNanos();
      return p;
    }

    void end() {
      cpu1 = cpuNanos();
      gc1 = gcMillis();
      loadAfter = loadAverage();
    }

    double cpuSeconds() {
      return (cpu1 - cpu0) / 1e9;
    }

    double gcSeconds() {
      return (gc1 - gc0) / 1e3;
    }

    double rowsPerCpuSecond(long rows) {
      return rows / cpuSeconds();
    }

    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private static long gcMillis() {
      long t = 0;
      for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        t += Math.max(0, gc.getCollectionTime());
      }
      return t;
    }

    private static String loadAverage() {
      try {
        return Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+")[0];
      } catch (IOException e) {
        return "?";
      }
    }
  }

  /** One timed run: wall seconds and its CPU/GC figures. */
  static final class Timed {
    /** A reference run that was not made: NaN seconds, no phase. */
    static final Timed NONE = new Timed(Double.NaN, null);

    final double seconds;
    final Phase phase;

    Timed(double seconds, Phase phase) {
      this.seconds = seconds;
      this.phase = phase;
    }

    /** The run with the median wall time (the lower middle one for an even count). */
    static Timed median(List<Timed> runs) {
      List<Timed> sorted = new ArrayList<>(runs);
      sorted.sort(java.util.Comparator.comparingDouble(t -> t.seconds));
      return sorted.get((sorted.size() - 1) / 2);
    }

    static String list(List<Timed> runs) {
      StringBuilder sb = new StringBuilder();
      for (Timed t : runs) {
        sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f / %.1f", t.seconds, t.phase.cpuSeconds()));
      }
      return sb.toString();
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static boolean check(String what, long actual, long expected) {
    if (actual != expected) {
      System.out.printf(Locale.ROOT, "ERROR: %s has %,d rows, expected %,d%n", what, actual, expected);
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- input

  static byte[][] generate(long seed, int n) {
    SessionSimulator sim = new SessionSimulator(seed, Instant.parse("2026-11-22T00:00:00Z"));
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      out[i] = WebEventJson.toBytes(sim.next());
    }
    return out;
  }

  private static void writeJsonLines(byte[][] payloads, Path dir, int files) throws IOException {
    Files.createDirectories(dir);
    for (int f = 0; f < files; f++) {
      int from = (int) ((long) payloads.length * f / files);
      int to = (int) ((long) payloads.length * (f + 1) / files);
      try (OutputStream out = new BufferedOutputStream(
          Files.newOutputStream(dir.resolve(String.format(Locale.ROOT, "part-%05d.json", f))), 1 << 20)) {
        for (int i = from; i < to; i++) {
          out.write(payloads[i]); // compact JSON: no raw newlines inside
          out.write('\n');
        }
      }
    }
  }

  // ---------------------------------------------------------------- Spark

  private static SparkSession spark(Options o) {
    String cores = Integer.toString(o.cores);
    return SparkSession.builder()
        .master("local[" + o.cores + "]")
        .appName("tributary-spark-bench")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", cores)
        .config("spark.default.parallelism", cores)
        .config("spark.databricks.delta.snapshotPartitions", cores)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "localhost")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", o.dir.resolve("spark-warehouse").toUri().toString())
        .getOrCreate();
  }

  /** The JSON contract's fields as Spark reads them; {@code properties} (an object) kept as JSON text. */
  static final StructType PAYLOAD_SCHEMA =
      new StructType()
          .add("schema_version", DataTypes.IntegerType)
          .add("event_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("event_timestamp", DataTypes.StringType)
          .add("user_id", DataTypes.StringType)
          .add("session_id", DataTypes.StringType)
          .add("page_url", DataTypes.StringType)
          .add("referrer", DataTypes.StringType)
          .add("user_agent", DataTypes.StringType)
          .add("device", DataTypes.StringType)
          .add("country", DataTypes.StringType)
          .add("order_id", DataTypes.StringType)
          .add("properties", DataTypes.StringType);

  /** Runs an AvailableNow query over {@code input} into a Delta table at {@code table}; returns seconds. */
  static double sparkRun(SparkSession spark, Options o, Path input, Path table, boolean dedup) throws Exception {
    Dataset<Row> lines =
        spark.readStream().option("maxFilesPerTrigger", o.maxFilesPerTrigger).text(input.toString());
    Dataset<Row> parsed = lines.select(from_json(col("value"), PAYLOAD_SCHEMA).as("e"), input_file_name().as("file"));
    Column ts = col("e.event_timestamp").cast(DataTypes.TimestampType);
    Dataset<Row> silver =
        parsed
            .where(col("e.event_id").isNotNull().and(col("e.event_type").isNotNull()).and(ts.isNotNull()))
            .select(
                lower(col("e.event_id")).as("event_id"),
                col("e.event_type").as("event_type"),
                ts.as("event_timestamp"),
                col("e.user_id").as("user_id"),
                col("e.session_id").as("session_id"),
                col("e.page_url").as("page_url"),
                col("e.referrer").as("referrer"),
                col("e.user_agent").as("user_agent"),
                col("e.device").as("device"),
                col("e.country").as("country"),
                col("e.order_id").as("order_id"),
                col("e.properties").as("properties"),
                lit(null).cast(DataTypes.StringType).as("extra_fields"),
                coalesce(col("e.schema_version"), lit(1)).as("schema_version"),
                concat(lit("file:"), col("file")).as("source_filename"),
                current_timestamp().as("ingest_timestamp"),
                current_timestamp().as("etl_timestamp"),
                to_date(ts).as("event_date"));
    if (dedup) {
      // As the events job: drop a repeated event_id seen within the last hour of processing time.
      silver = silver.withWatermark("ingest_timestamp", "1 hour").dropDuplicatesWithinWatermark("event_id");
    }
    long t0 = System.nanoTime();
    StreamingQuery q =
        silver
            .writeStream()
            .format("delta")
            .outputMode("append")
            .partitionBy(AtomicEventsTable.PARTITION_COLUMN)
            .option("checkpointLocation", table.resolveSibling(table.getFileName() + "-checkpoint").toString())
            .trigger(Trigger.AvailableNow())
            .start(table.toString());
    q.awaitTermination();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "Spark run into %s: %.2f s, %d micro-batches%n", table.getFileName(), seconds,
        q.recentProgress().length);
    for (org.apache.spark.sql.streaming.StreamingQueryProgress pr : q.recentProgress()) {
      System.out.printf(Locale.ROOT, "  batch %d: %,d rows, %s ms (%,.0f rows/s within the batch)%n", pr.batchId(), pr.numInputRows(),
          pr.durationMs().get("triggerExecution"), pr.processedRowsPerSecond());
    }
    org.apache.spark.sql.streaming.StreamingQueryProgress[] progress = q.recentProgress();
    long lateRows = 0;
    long lateMillis = 0;
    for (int i = progress.length / 2; i < progress.length; i++) {
      lateRows += progress[i].numInputRows();
      lateMillis += progress[i].durationMs().get("triggerExecution");
    }
    lastSparkLateHalfRowsPerSecond = lateMillis == 0 ? Double.NaN : lateRows * 1000.0 / lateMillis;
    return seconds;
  }

  /** Rows/s of the later half of the last Spark run's micro-batches (warmed up, without start-up). */
  static double lastSparkLateHalfRowsPerSecond = Double.NaN;

  // ---------------------------------------------------------------- Tributary

  /** Hands out payload {@code index} of {@link #payloads} as a Kinesis-like record. */
  static final class Payloads implements GeneratorFunction<Long, KinesisRecord> {
    private static final long serialVersionUID = 1L;
    private transient byte[][] data;
    private transient String shard;
    private transient AtomicLong produced;
    private transient long count;

    @Override
    public void open(SourceReaderContext context) {
      data = payloads;
      shard = shardReadBy(context.getIndexOfSubtask(), context.currentParallelism());
      produced = new AtomicLong();
      PRODUCED.add(produced);
    }

    @Override
    public KinesisRecord map(Long index) {
      produced.lazySet(++count); // single writer: no contention with the other subtasks
      return new KinesisRecord(data[(int) (long) index], "generator", shard, Long.toString(index), System.currentTimeMillis());
    }
  }

  /**
   * A shard id the Kinesis source would read in {@code subtask}: by dedup scope SHARD the one
   * {@code ShardIdAssigner.alignedWithShardKeys()} gives to it (the dedup
   * refuses records of shards outside its key groups), else round-robin's.
   */
  static String shardReadBy(int subtask, int parallelism) {
    for (int n = 0; ; n++) {
      String shard = String.format(Locale.ROOT, "shardId-%012d", n);
      int reader = dedupScope == io.tributary.eventsjob.DedupScope.SHARD
          ? io.tributary.eventsjob.ShardKeys.subtaskOf(shard, parallelism) : n % parallelism;
      if (reader == subtask) {
        return shard;
      }
    }
  }

  static EventsJobConfig config(Path lake) {
    JobParameters p = JobParameters.builder()
        .set(io.tributary.eventsjob.EventsJobOptions.KINESIS_STREAM, "generator")
        .set(io.tributary.eventsjob.EventsJobOptions.KINESIS_REGION, "local")
        .set(io.tributary.config.LakeOptions.LAKE_PATH, lake.toString())
        .set(io.tributary.eventsjob.EventsJobOptions.EVENTS_DEDUP_SCOPE, dedupScope)
        .build();
    return EventsJobConfig.from(p, new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
  }

  /**
   * The MiniCluster every Tributary run is submitted to: started once before anything is timed,
   * as the SparkSession is. Checkpoints go to local disk (the dedup state outgrows the
   * JobManager's 5 MB in-memory storage).
   */
  static MiniClusterJobs flinkCluster(Options o) throws Exception {
    Configuration conf = new Configuration();
    conf.setString("state.checkpoint-storage", "filesystem");
    conf.setString("state.checkpoints.dir", o.dir.resolve("flink-checkpoints").toUri().toString());
    return new MiniClusterJobs(o.cores, conf);
  }

  static double flinkRun(MiniClusterJobs cluster, Options o, byte[][] data, Path lake, boolean dedup) throws Exception {
    payloads = data;
    PRODUCED.clear();
    EventsJobConfig config = config(lake);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(o.cores);
    env.getCheckpointConfig().setTolerableCheckpointFailureNumber(0);
    env.enableCheckpointing(o.checkpointMillis);
    EventsPipeline.configure(env); // as the events job runs
    DataStream<KinesisRecord> records =
        env.fromSource(
                new DataGeneratorSource<>(new Payloads(), data.length, TypeInformation.of(KinesisRecord.class)),
                WatermarkStrategy.noWatermarks(),
                "generated records")
            .uid("generator");
    EventsPipeline.sinkToDelta(
        dedup
            ? EventsPipeline.route(records, config)
            : EventsPipeline.route(records, config.maxPayloadBytes(), java.time.Duration.ZERO, null),
        config);
    // Bounded: ends after the final commit, which is triggered as soon as the input is exhausted.
    MiniClusterJobs.JobRun run = cluster.run(env.getStreamGraph().getJobGraph(), SparkStreamingBenchmark::produced,
        data.length, true);
    System.out.printf(Locale.ROOT, "Tributary run into %s: %.2f s (input exhausted after %.2f s, %d checkpoints)%n",
        lake.getFileName(), run.seconds, run.generatedSeconds, run.checkpoints);
    payloads = null;
    return run.seconds;
  }

  /** Per-subtask counts of records the generator handed out in the current run. */
  private static final java.util.Queue<AtomicLong> PRODUCED = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private static long produced() {
    long sum = 0;
    for (AtomicLong c : PRODUCED) {
      sum += c.get();
    }
    return sum;
  }

  // ---------------------------------------------------------------- raw Parquet

  private static final int SIZE_CHECK_INTERVAL = 256;

  static double rawRun(Options o, byte[][] data, Path dir, boolean write) throws Exception {
    return rawRun(o, data, dir, write, false, new long[1]);
  }

  static double parseOnly(Options o, byte[][] data) throws Exception {
    long[] rows = new long[1];
    double s = rawRun(o, data, null, false, false, rows);
    System.out.printf(Locale.ROOT, "Parse only: %.2f s, %,d accepted%n", s, rows[0]);
    return s;
  }

  /**
   * One thread per core over contiguous ranges; returns seconds, rows written into {@code rows[0]}.
   * With {@code dedup}, each thread drops an event whose id it has seen (a plain {@link HashSet}, no
   * state backend, no checkpoint): the least a deduplicating writer must do on top.
   */
  static double rawRun(Options o, byte[][] data, Path dir, boolean write, boolean dedup, long[] rows)
      throws Exception {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    org.apache.hadoop.fs.Path root = dir == null ? null : new org.apache.hadoop.fs.Path(dir.toUri());
    FileSystem fs = root == null ? null : root.getFileSystem(conf);
    ParquetFileAppender.Settings settings =
        new ParquetFileAppender.Settings(
            DeltaSinkOptions.COMPRESSION.defaultValue().name(),
            DeltaSinkOptions.ROW_GROUP_SIZE.defaultValue().getBytes(),
            DeltaSinkOptions.PAGE_SIZE.defaultValue().getBytes());
    long target = DeltaSinkOptions.TARGET_FILE_SIZE.defaultValue().getBytes();
    int[] dataFields = new int[AtomicEventsTable.COLUMNS.size() - 1]; // all but event_date (the last)
    for (int i = 0; i < dataFields.length; i++) {
      dataFields[i] = i;
    }
    Map<String, String> metadata = Collections.singletonMap("writer.model.name", "tributary-spark-bench-raw");
    AtomicLong written = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(o.cores);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < o.cores; t++) {
        int from = (int) ((long) data.length * t / o.cores);
        int to = (int) ((long) data.length * (t + 1) / o.cores);
        int subtask = t;
        parts.add(pool.submit(() -> {
          WebEventParser parser = new WebEventParser();
          String shard = String.format(Locale.ROOT, "shardId-%012d", subtask);
          Map<Integer, ParquetFileAppender> open = new HashMap<>();
          DictionaryAdvisor dictionaries = new DictionaryAdvisor(); // as the sink's writer does
          Set<EventIdKey> seen = dedup ? new HashSet<>() : null;
          long n = 0;
          for (int i = from; i < to; i++) {
            KinesisRecord record = new KinesisRecord(data[i], "generator", shard, Integer.toString(i), System.currentTimeMillis());
            ParseResult r = parser.parse(record.getPayload());
            if (!r.isAccepted()) {
              continue;
            }
            RowData row = AtomicEventsTable.toRow(r.getEvent(), record, Instant.now());
            if (seen != null && !seen.add(EventIdKey.of(row.getString(AtomicEventsTable.EVENT_ID)))) {
              continue;
            }
            n++;
            if (!write) {
              continue;
            }
            int day = row.getInt(AtomicEventsTable.COLUMNS.size() - 1);
            ParquetFileAppender file = open.get(day);
            if (file == null) {
              String name = String.format(Locale.ROOT, "%s=%s/part-%05d-%s.c000%s.parquet", AtomicEventsTable.PARTITION_COLUMN,
                  LocalDate.ofEpochDay(day), subtask, UUID.randomUUID(), settings.extension());
              file = new ParquetFileAppender(fs, new org.apache.hadoop.fs.Path(root, name), conf,
                  new RowDataWriteSupport(AtomicEventsTable.ROW_TYPE, dataFields, metadata), settings, dictionaries);
              open.put(day, file);
            }
            file.write(row);
            if (file.records() % SIZE_CHECK_INTERVAL == 0 && file.estimatedSize() >= target) {
              file.close();
              open.remove(day);
            }
          }
          for (ParquetFileAppender file : open.values()) {
            file.close();
          }
          written.addAndGet(n);
          return null;
        }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    rows[0] = written.get();
    if (write) {
      System.out.printf(Locale.ROOT, "Raw Parquet run into %s: %.2f s, %,d rows%n", dir.getFileName(), seconds, rows[0]);
    }
    return seconds;
  }

  // ---------------------------------------------------------------- misc

  private static Options parse(String[] args) {
    Options o = new Options();
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(String.join("\n",
          "SparkStreamingBenchmark options (all optional):",
          "  --events N                 timed events, the same payloads for every run (1000000)",
          "  --warmup-events N          untimed warm-up run per engine (100000)",
          "  --cores N                  Spark local[N], Flink parallelism N, N raw writer threads (all cores)",
          "  --files N                  JSON-lines files of the Spark input (40)",
          "  --max-files-per-trigger N  Spark micro-batch size in files (4)",
          "  --checkpoint-interval-ms N Flink checkpoint (= Delta commit) interval (5000)",
          "  --seed N                   SessionSimulator seed (42)",
          "  --no-dedup-run true|false  also time the pipeline without dedup, for reference (true)",
          "  --raw-dedup-run true|false also time the raw ceiling with an in-memory dedup by event_id (true)",
          "  --spark-dedup true|false   also time Spark deduplicating by event_id as Tributary does, for reference (false)",
          "  --dedup-scope stream|shard events.dedup-scope of the Tributary run with dedup (stream)",
          "  --spark true|false         run Spark (false: only Tributary and raw, e.g. to profile them) (true)",
          "  --repeats N                rounds of every timed run, interleaved; the median round is reported (1)",
          "  --dir PATH                 scratch directory (tmp/tributary-spark-bench, emptied first)",
          "  --out FILE                 also write the result (markdown) there"));
      return null;
    }
    JobParameters p = JobParameters.fromArgs(args);
    if (p.contains("events")) o.events = Integer.parseInt(p.raw("events"));
    if (p.contains("warmup-events")) o.warmupEvents = Integer.parseInt(p.raw("warmup-events"));
    if (p.contains("cores")) o.cores = Integer.parseInt(p.raw("cores"));
    if (p.contains("files")) o.files = Integer.parseInt(p.raw("files"));
    if (p.contains("max-files-per-trigger")) o.maxFilesPerTrigger = Integer.parseInt(p.raw("max-files-per-trigger"));
    if (p.contains("checkpoint-interval-ms")) o.checkpointMillis = Long.parseLong(p.raw("checkpoint-interval-ms"));
    if (p.contains("seed")) o.seed = Long.parseLong(p.raw("seed"));
    if (p.contains("no-dedup-run")) o.noDedupRun = Boolean.parseBoolean(p.raw("no-dedup-run"));
    if (p.contains("raw-dedup-run")) o.rawDedupRun = Boolean.parseBoolean(p.raw("raw-dedup-run"));
    if (p.contains("spark")) o.spark = Boolean.parseBoolean(p.raw("spark"));
    if (p.contains("spark-dedup")) o.sparkDedup = Boolean.parseBoolean(p.raw("spark-dedup"));
    if (p.contains("dedup-scope")) o.dedupScope = io.tributary.eventsjob.DedupScope.valueOf(p.raw("dedup-scope").toUpperCase(Locale.ROOT));
    if (p.contains("repeats")) o.repeats = Integer.parseInt(p.raw("repeats"));
    if (p.contains("dir")) o.dir = Paths.get(p.raw("dir"));
    if (p.contains("out")) o.out = Paths.get(p.raw("out"));
    return o;
  }

}
