package io.tributary.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.util.TimeUtils;

/**
 * Throughput of Tributary's Delta sink against two references, in one JVM on one machine:
 *
 * <ul>
 *   <li>{@code delta}: {@code io.tributary.delta.DeltaSink} in a Flink job on a local MiniCluster,
 *       checkpointing (and so committing to the Delta log) every {@code --checkpoint-interval};
 *   <li>{@code raw}: the sink's own Parquet writer in a plain loop, no Flink (the ceiling);
 *   <li>{@code filesink}: Flink's FileSink with flink-parquet's bulk format, same job otherwise.
 * </ul>
 *
 * <p>Every writer gets the same generated rows (see {@link EventRows}). Each run is timed from
 * job submission (thread start for raw) to the end (for Flink: FINISHED, i.e. after the final
 * checkpoint and commit), then its output is checked independently: row counts from the Parquet
 * footers and, for Delta, from the log's statistics, and every id read back. A mismatch is
 * printed and makes the exit status non-zero. Nothing asserts a time: the target ratio is
 * reported, not enforced. See docs/benchmarks.md.
 */
public final class SinkBenchmark {
  private SinkBenchmark() {}

  enum Writer {
    DELTA("delta", "Tributary DeltaSink (Flink, MiniCluster)"),
    RAW("raw", "ParquetFileAppender loop, no Flink (ceiling)"),
    FILESINK("filesink", "Flink FileSink + flink-parquet (Flink, MiniCluster)"),
    NOOP("noop", "same Flink job, discarding sink (framework floor, writes nothing)");

    final String id;
    final String description;

    Writer(String id, String description) {
      this.id = id;
      this.description = description;
    }

    static Writer of(String s) {
      for (Writer w : values()) {
        if (w.id.equalsIgnoreCase(s.trim())) {
          return w;
        }
      }
      throw new IllegalArgumentException("Unknown writer '" + s + "'; use delta, raw, filesink, noop");
    }
  }

  static final class Options {
    long rows = 50_000_000;
    int parallelism = Runtime.getRuntime().availableProcessors();
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "tributary-bench");
    Duration checkpointInterval = Duration.ofSeconds(10);
    List<Writer> writers = Arrays.asList(Writer.DELTA, Writer.RAW, Writer.FILESINK);
    int days = 4;
    long warmupRows = -1; // auto
    int repeat = 1;
    double target = 0.85;
    boolean checkIds = true;
    boolean objectReuse = true;
    boolean immediateFinalCheckpoint = true;
    Duration waitIdle = Duration.ofSeconds(30);

    long warmup() {
      return warmupRows >= 0 ? warmupRows : Math.min(2_000_000, rows / 5);
    }
  }

  static final String USAGE =
      String.join(
          "\n",
          "Usage: SinkBenchmark [options]",
          "  --rows N                  rows per writer (default 50m: long enough for several 10 s checkpoints;",
          "                            plain numbers or 200k, 5m, 1g)",
          "  --parallelism P           Flink parallelism = raw writer threads (default: cores, here "
              + Runtime.getRuntime().availableProcessors() + ")",
          "  --dir PATH                output root; each writer writes to PATH/<writer> (default ${java.io.tmpdir}/tributary-bench)",
          "  --checkpoint-interval D   Flink checkpoint interval, e.g. 10s, 500ms (default 10s)",
          "  --writers LIST            comma-separated, in run order: delta,raw,filesink (default all three);",
          "                            noop adds the same Flink job with a discarding sink (framework floor)",
          "  --days N                  distinct event_date partition values (default 4)",
          "  --warmup-rows N           untimed warm-up run of each writer first (default min(2m, rows/5); 0 = none)",
          "  --repeat N                timed rounds, writers interleaved; the summary uses medians (default 1)",
          "  --target X                reported target for delta/raw (default 0.85; never fails the run)",
          "  --final-checkpoint MODE   immediate (default): trigger the last checkpoint as soon as the",
          "                            input is exhausted; periodic: wait for the next interval",
          "  --wait-idle D             before each run wait up to D for other processes to go quiet",
          "                            (under 0.1 cores for 2 s; default 30s, 0 = don't wait)",
          "  --no-object-reuse         run the Flink jobs without object reuse (rows get copied)",
          "  --no-id-check             only count rows (footers, Delta log), do not read every id back",
          "  --help                    this text",
          "Exit status: 0 when every output matched, 1 on a row-count or id mismatch, 2 on bad options.");

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (o == null) {
      System.out.println(USAGE);
      return;
    }
    int status = new Runner(o).run();
    System.exit(status);
  }

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "--help":
        case "-h":
          return null;
        case "--no-object-reuse":
          o.objectReuse = false;
          continue;
        case "--no-id-check":
          o.checkIds = false;
          continue;
        default:
          break;
      }
      if (v == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + a);
        }
        v = args[++i];
      }
      switch (a) {
        case "--rows":
          o.rows = count(a, v);
          break;
        case "--parallelism":
          o.parallelism = (int) count(a, v);
          break;
        case "--dir":
          o.dir = Paths.get(v).toAbsolutePath().normalize();
          break;
        case "--checkpoint-interval":
          o.checkpointInterval = TimeUtils.parseDuration(v);
          break;
        case "--writers":
          o.writers = Arrays.stream(v.split(",")).filter(s -> !s.isBlank()).map(Writer::of).distinct().collect(Collectors.toList());
          break;
        case "--days":
          o.days = (int) count(a, v);
          break;
        case "--warmup-rows":
          o.warmupRows = count(a, v);
          break;
        case "--repeat":
          o.repeat = (int) count(a, v);
          break;
        case "--target":
          o.target = Double.parseDouble(v);
          break;
        case "--wait-idle":
          o.waitIdle = TimeUtils.parseDuration(v);
          break;
        case "--final-checkpoint":
          if (!v.equals("immediate") && !v.equals("periodic")) {
            throw new IllegalArgumentException("--final-checkpoint is immediate or periodic, not " + v);
          }
          o.immediateFinalCheckpoint = v.equals("immediate");
          break;
        default:
          throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.rows < 1 || o.parallelism < 1 || o.days < 1 || o.repeat < 1 || o.writers.isEmpty()) {
      throw new IllegalArgumentException("rows, parallelism, days, repeat must be positive and writers non-empty");
    }
    if (o.checkIds && o.rows > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the id check handles up to 2^31-1 rows; add --no-id-check");
    }
    if (o.checkpointInterval.toMillis() < 10) {
      throw new IllegalArgumentException("checkpoint interval must be at least 10ms");
    }
    return o;
  }

  /** 5000000, 5_000_000, 200k, 5m, 1g. */
  static long count(String option, String v) {
    String s = v.trim().toLowerCase(Locale.ROOT).replace("_", "");
    long unit = 1;
    if (s.endsWith("k")) {
      unit = 1_000;
    } else if (s.endsWith("m")) {
      unit = 1_000_000;
    } else if (s.endsWith("g") || s.endsWith("b")) {
      unit = 1_000_000_000;
    }
    if (unit > 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      return Math.multiplyExact(Long.parseLong(s), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(option + ": not a count: " + v);
    }
  }

  /** One timed (or warm-up) run of one writer and what its output check found. */
  static final class Result {
    Writer writer;
    int round;
    long rows;
    double seconds;
    double generatedSeconds;
    double netSeconds = -1;
    long checkpoints = -1;
    double cpuSeconds;
    double gcSeconds;
    /** CPU seconds used by other processes during the run (-1 when unknown). */
    double otherCpuSeconds = -1;
    OutputCheck.Summary check;

    double rowsPerSecond() {
      return rows / seconds;
    }
  }

  static final class Runner {
    private final Options o;
    private final List<Result> results = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private FlinkRuns flink;

    Runner(Options o) {
      this.o = o;
    }

    int run() throws Exception {
      printHeader();
      Files.createDirectories(o.dir);
      try {
        if (o.writers.stream().anyMatch(w -> w != Writer.RAW)) {
          flink = new FlinkRuns(o.parallelism, o.checkpointInterval, o.objectReuse, o.immediateFinalCheckpoint);
        }
        long warmup = o.warmup();
        if (warmup > 0) {
          for (Writer w : o.writers) {
            Path dir = o.dir.resolve("warmup-" + w.id);
            Result r = runOne(w, 0, warmup, dir);
            System.out.printf(Locale.ROOT, "warm-up %-8s %,12d rows %8.2f s %,12.0f rows/s  check: %s%n",
                w.id, r.rows, r.seconds, r.rowsPerSecond(), OutputCheck.describe(r.check));
            deleteTree(dir);
          }
        }
        for (int round = 1; round <= o.repeat; round++) {
          for (Writer w : o.writers) {
            Path dir = o.dir.resolve(o.repeat == 1 ? w.id : w.id + "-" + round);
            Result r = runOne(w, round, o.rows, dir);
            results.add(r);
            System.out.printf(Locale.ROOT, "run %d   %-8s %,12d rows %8.2f s %,12.0f rows/s  check: %s%n",
                round, w.id, r.rows, r.seconds, r.rowsPerSecond(), OutputCheck.describe(r.check));
          }
        }
      } finally {
        if (flink != null) {
          flink.shutdown();
        }
      }
      printReport();
      return failures.isEmpty() ? 0 : 1;
    }

    private Result runOne(Writer w, int round, long rows, Path dir) throws Exception {
      deleteTree(dir);
      Files.createDirectories(dir.getParent());
      System.gc();
      waitForIdleMachine(o.waitIdle);
      Result r = new Result();
      r.writer = w;
      r.round = round;
      r.rows = rows;
      long cpu0 = processCpuNanos();
      long gc0 = gcMillis();
      long busy0 = machineBusyJiffies();
      switch (w) {
        case RAW:
          {
            Files.createDirectories(dir);
            long start = System.nanoTime();
            RawParquetRun.run(dir, rows, o.parallelism, o.days);
            r.seconds = (System.nanoTime() - start) / 1e9;
            r.generatedSeconds = r.seconds;
            break;
          }
        case DELTA:
          {
            MiniClusterJobs.JobRun j = flink.delta(dir.toString(), rows, o.days);
            copy(j, r);
            break;
          }
        case FILESINK:
          {
            Files.createDirectories(dir);
            MiniClusterJobs.JobRun j = flink.fileSink(dir, rows, o.days);
            copy(j, r);
            break;
          }
        case NOOP:
          {
            MiniClusterJobs.JobRun j = flink.discard(rows, o.days);
            copy(j, r);
            break;
          }
        default:
          throw new IllegalStateException(w.toString());
      }
      r.cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
      r.gcSeconds = (gcMillis() - gc0) / 1e3;
      long busy1 = machineBusyJiffies();
      if (busy0 >= 0 && busy1 >= 0) {
        r.otherCpuSeconds = Math.max(0, (busy1 - busy0) / (double) USER_HZ - r.cpuSeconds);
      }
      if (w == Writer.NOOP) {
        r.check = new OutputCheck.Summary(); // nothing written, nothing to check
      } else if (w == Writer.DELTA) {
        r.check = OutputCheck.delta(dir.toUri().toString(), rows, o.checkIds);
      } else {
        r.check = OutputCheck.parquet(dir, rows, o.checkIds);
      }
      if (!r.check.ok()) {
        String msg = (round == 0 ? "warm-up " : "round " + round + " ") + w.id + ": " + OutputCheck.describe(r.check);
        failures.add(msg);
        System.err.println("ERROR: output check failed for " + msg);
      }
      return r;
    }

    private static void copy(MiniClusterJobs.JobRun j, Result r) {
      r.seconds = j.seconds;
      r.generatedSeconds = j.generatedSeconds;
      r.netSeconds = j.netSeconds;
      r.checkpoints = j.checkpoints;
    }

    private void printHeader() {
      Runtime rt = Runtime.getRuntime();
      System.out.println("== Tributary sink benchmark ==");
      System.out.printf(Locale.ROOT, "date            %s%n", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
      System.out.printf(Locale.ROOT, "machine         %d cores (%s), %.1f GiB RAM, max heap %.1f GiB%n",
          rt.availableProcessors(), cpuModel(), totalMemoryGiB(), rt.maxMemory() / (double) (1L << 30));
      System.out.printf(Locale.ROOT, "java            %s (%s), %s %s%n",
          System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
          System.getProperty("os.name"), System.getProperty("os.arch"));
      System.out.printf(Locale.ROOT, "rows            %,d per writer (+ %,d warm-up), %d event_date values, ids 0..%,d%n",
          o.rows, o.warmup(), o.days, o.rows - 1);
      System.out.printf(Locale.ROOT, "parallelism     %d (Flink subtasks; raw: threads)%n", o.parallelism);
      System.out.printf(Locale.ROOT, "checkpoints     every %s, final checkpoint %s, object reuse %s%n",
          TimeUtils.formatWithHighestUnit(o.checkpointInterval), o.immediateFinalCheckpoint ? "immediate" : "periodic",
          o.objectReuse ? "on" : "off");
      System.out.printf(Locale.ROOT, "parquet         snappy, row group 64 MiB, page 1 MiB, dictionary on (the sink's defaults, all writers)%n");
      System.out.printf(Locale.ROOT, "output          %s%n", o.dir);
      for (Writer w : o.writers) {
        System.out.printf(Locale.ROOT, "writer %-8s %s%n", w.id, w.description);
      }
      System.out.println();
    }

    private void printReport() {
      System.out.println();
      System.out.println("== Results ==");
      String head = String.format(Locale.ROOT,
          "%-3s %-8s %12s %8s %12s %12s %9s %6s %7s %7s %7s %6s %8s %6s %6s  %s",
          "rnd", "writer", "rows", "seconds", "rows/s", "rows/s/core", "MiB", "files", "ckpts", "gen s", "cpu s", "cores", "cpu us/row", "gc s", "other", "check");
      System.out.println(head);
      for (Result r : results) {
        System.out.printf(Locale.ROOT, "%-3d %-8s %,12d %8.2f %,12.0f %,12.0f %9.1f %6d %7s %7.2f %7.1f %6.2f %8.3f %6.2f %6s  %s%n",
            r.round, r.writer.id, r.rows, r.seconds, r.rowsPerSecond(), r.rowsPerSecond() / o.parallelism,
            r.check.bytes / (double) (1 << 20), r.check.files,
            r.checkpoints < 0 ? "-" : Long.toString(r.checkpoints), r.generatedSeconds, r.cpuSeconds,
            r.cpuSeconds / r.seconds, r.cpuSeconds * 1e6 / r.rows, r.gcSeconds,
            r.otherCpuSeconds < 0 ? "?" : String.format(Locale.ROOT, "%.2f", r.otherCpuSeconds / r.seconds),
            r.writer == Writer.NOOP ? "n/a" : r.check.ok() ? "ok" : "MISMATCH");
      }
      System.out.println();
      System.out.println("rows/s/core = rows/s / parallelism; ckpts = completed Flink checkpoints (one Delta commit each that carried files);");
      System.out.println("gen s = time until the source produced its last row (the rest is the final checkpoint + commit);");
      System.out.println("cpu s / cores / cpu us/row = process CPU time, average busy cores, CPU microseconds per row (includes JIT,");
      System.out.println("  GC and Flink's own threads; CPU per row is what to compare when other processes share the machine);");
      System.out.println("other = average cores used by OTHER processes during the run (from /proc/stat); above ~0.1 the figures are disturbed.");
      for (Result r : results) {
        if (r.writer == Writer.NOOP) {
          continue;
        }
        if (r.writer == Writer.DELTA) {
          System.out.printf(Locale.ROOT, "delta round %d: table version %d (version 0 created it), %,d rows in the log statistics, %,d in the footers, %d row groups, codecs %s; Flink net run time %.2f s%n",
              r.round, r.check.version, r.check.logRows, r.check.footerRows, r.check.rowGroups, r.check.codecs, r.netSeconds);
        } else {
          System.out.printf(Locale.ROOT, "%s round %d: %,d rows in the footers, %d row groups, codecs %s%s%n",
              r.writer.id, r.round, r.check.footerRows, r.check.rowGroups, r.check.codecs,
              r.netSeconds < 0 ? "" : String.format(Locale.ROOT, "; Flink net run time %.2f s", r.netSeconds));
        }
      }

      System.out.println();
      Map<Writer, Double> median = new LinkedHashMap<>();
      for (Writer w : o.writers) {
        List<Result> mine = results.stream().filter(r -> r.writer == w).collect(Collectors.toList());
        List<Result> quiet = mine.stream().filter(r -> r.otherCpuSeconds >= 0 && r.otherCpuSeconds / r.seconds <= 0.1).collect(Collectors.toList());
        if (!quiet.isEmpty() && quiet.size() < mine.size()) {
          System.out.printf(Locale.ROOT, "(%s: summary from the %d of %d rounds without other load)%n", w.id, quiet.size(), mine.size());
          mine = quiet;
        }
        double[] v = mine.stream().mapToDouble(Result::rowsPerSecond).sorted().toArray();
        median.put(w, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
      }
      Map<Writer, Double> cpuPerRow = new LinkedHashMap<>();
      for (Writer w : o.writers) {
        double[] v = results.stream().filter(r -> r.writer == w).mapToDouble(r -> r.cpuSeconds * 1e6 / r.rows).sorted().toArray();
        cpuPerRow.put(w, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
      }
      System.out.println("== Summary" + (o.repeat > 1 ? " (median of the rounds)" : "") + " ==");
      for (Map.Entry<Writer, Double> e : median.entrySet()) {
        System.out.printf(Locale.ROOT, "%-8s %,12.0f rows/s  %,10.0f rows/s/core  %6.3f cpu us/row (median, all rounds)%n",
            e.getKey().id, e.getValue(), e.getValue() / o.parallelism, cpuPerRow.get(e.getKey()));
      }
      Double delta = median.get(Writer.DELTA);
      Double raw = median.get(Writer.RAW);
      Double fileSink = median.get(Writer.FILESINK);
      if (delta != null && raw != null) {
        double ratio = delta / raw;
        System.out.printf(Locale.ROOT, "sink/raw      %.3f  target >= %.2f: %s%n", ratio, o.target,
            ratio >= o.target ? "MET" : "NOT MET");
        System.out.printf(Locale.ROOT, "sink/raw by CPU per row (raw cpu/row / sink cpu/row) %.3f%n",
            cpuPerRow.get(Writer.RAW) / cpuPerRow.get(Writer.DELTA));
      }
      if (delta != null && fileSink != null) {
        System.out.printf(Locale.ROOT, "sink/filesink %.3f  (by CPU per row %.3f)%n", delta / fileSink,
            cpuPerRow.get(Writer.FILESINK) / cpuPerRow.get(Writer.DELTA));
      }
      if (raw != null && fileSink != null) {
        System.out.printf(Locale.ROOT, "filesink/raw  %.3f%n", fileSink / raw);
      }
      System.out.println();
      double disturbed = results.stream().mapToDouble(r -> r.otherCpuSeconds / r.seconds).max().orElse(0);
      if (disturbed > 0.1) {
        System.out.printf(Locale.ROOT,
            "WARNING: other processes used up to %.2f cores during a run; on a %d-core machine the figures are"
                + " not reliable. Re-run on an idle machine.%n",
            disturbed, Runtime.getRuntime().availableProcessors());
      }
      long fewest = results.stream().filter(r -> r.writer == Writer.DELTA || r.writer == Writer.FILESINK)
          .mapToLong(r -> r.checkpoints).min().orElse(Long.MAX_VALUE);
      if (fewest >= 0 && fewest < 3) {
        System.out.printf(Locale.ROOT,
            "Note: a Flink run completed only %d checkpoint(s), i.e. at most one periodic checkpoint before the"
                + " final one, so per-checkpoint costs (closing files, commits) are under-represented;"
                + " use more --rows for a production-like mix.%n",
            fewest);
      }
      if (failures.isEmpty()) {
        System.out.println("Output checks: all passed (row counts" + (o.checkIds ? " and every id exactly once" : "") + ").");
      } else {
        System.out.println("Output checks FAILED:");
        for (String f : failures) {
          System.out.println("  " + f);
        }
      }
    }
  }

  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return 0;
  }

  /**
   * Waits until other processes used under 0.1 cores for two consecutive seconds, or {@code max}
   * has passed (then says so). The run's own "other" column shows what happened during it.
   */
  static void waitForIdleMachine(Duration max) throws InterruptedException {
    if (max.isZero() || machineBusyJiffies() < 0) {
      return;
    }
    long deadline = System.nanoTime() + max.toNanos();
    int quietSeconds = 0;
    while (quietSeconds < 2) {
      long busy0 = machineBusyJiffies();
      long cpu0 = processCpuNanos();
      Thread.sleep(1_000);
      double other = (machineBusyJiffies() - busy0) / (double) USER_HZ - (processCpuNanos() - cpu0) / 1e9;
      quietSeconds = other < 0.1 ? quietSeconds + 1 : 0;
      if (quietSeconds < 2 && System.nanoTime() > deadline) {
        System.out.printf(Locale.ROOT, "(machine still busy after waiting %s: other processes use %.2f cores)%n",
            TimeUtils.formatWithHighestUnit(max), other);
        return;
      }
    }
  }

  /** Linux clock ticks per second of /proc/stat (USER_HZ, 100 on every mainstream kernel). */
  private static final int USER_HZ = 100;

  /** Busy CPU time of the whole machine in clock ticks (all but idle and iowait), -1 if unknown. */
  private static long machineBusyJiffies() {
    Path stat = Paths.get("/proc/stat");
    if (!Files.isReadable(stat)) {
      return -1;
    }
    try (Stream<String> lines = Files.lines(stat, StandardCharsets.US_ASCII)) {
      String cpu = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElse(null);
      if (cpu == null) {
        return -1;
      }
      String[] f = cpu.trim().split("\\s+");
      long busy = 0;
      // user nice system idle iowait irq softirq steal [guest guest_nice, already in user/nice]
      for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static double totalMemoryGiB() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getTotalPhysicalMemorySize() / (double) (1L << 30);
    }
    return Double.NaN;
  }

  private static String cpuModel() {
    Path info = Paths.get("/proc/cpuinfo");
    if (!Files.isReadable(info)) {
      return "unknown CPU";
    }
    try (Stream<String> lines = Files.lines(info, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
