package io.tributary.eventsjob.bench;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.eventsjob.EventsJobConfig;
import io.tributary.eventsjob.EventsPipeline;
import io.tributary.eventsjob.KinesisRecord;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

/**
 * In-job table maintenance on vs off, side by side (docs/benchmarks.md): the events job's
 * topology (generated Kinesis-like records, parse, route, dedup, both Delta sinks) at full speed
 * with 1 s checkpoints, once with {@code sink.maintenance.enabled=false} and once with the
 * defaults; then a timed full scan (every row and column, through Delta Kernel) of each run's
 * {@code atomic_events}. An untimed warm-up run goes first. Not a test: run it with {@code ./mvnw
 * -q -pl events-job -am -Pbench verify -DskipTests
 * -Dbench.main=io.tributary.eventsjob.bench.MaintenanceBenchmark -Dbench.args="..."}.
 */
public final class MaintenanceBenchmark {
  private MaintenanceBenchmark() {}

  public static void main(String[] args) throws Exception {
    JobParameters p = JobParameters.fromArgs(args);
    int events = p.contains("events") ? Integer.parseInt(p.raw("events")) : 1_000_000;
    int scans = p.contains("scans") ? Integer.parseInt(p.raw("scans")) : 3;
    // Events per second (0: as fast as the job goes). At full speed a run is over after a few
    // commits; a rate spreads the same events over many commits, as a stream does.
    double rate = p.contains("rate") ? Double.parseDouble(p.raw("rate")) : 0;
    Path dir = p.contains("dir") ? Paths.get(p.raw("dir")) : Paths.get(System.getProperty("java.io.tmpdir"), "tributary-maintenance-bench");
    org.apache.flink.util.FileUtils.deleteDirectory(dir.toFile());
    java.nio.file.Files.createDirectories(dir);

    run(dir.resolve("warmup"), Math.min(events, 100_000), true, 0);
    List<String> rows = new ArrayList<>();
    for (boolean maintenance : new boolean[] {false, true}) {
      Path lake = dir.resolve(maintenance ? "on" : "off");
      EventsJobBenchmark.Result r = run(lake, events, maintenance, rate);
      String table = lake.resolve("atomic_events").toString();
      TableFiles stats = files(table);
      double[] scan = new double[scans];
      long read = 0;
      for (int i = 0; i < scans; i++) {
        long t0 = System.nanoTime();
        read = DeltaTestTables.readAll(table, Map.of()).size();
        scan[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(scan);
      rows.add(String.format(Locale.ROOT, "| %s | %,d | %,.0f | %d | %d | %d | %d | %,d | %.2f |",
          maintenance ? "on (defaults)" : "off", events, events / r.seconds, stats.streamingCommits, stats.compactions,
          stats.active, stats.maxPerPartition, read, scan[scans / 2]));
      if (read != events || !r.ok) {
        System.out.println("ERROR: " + table + " holds " + read + " rows, expected " + events);
        System.exit(1);
      }
    }
    System.out.printf(Locale.ROOT, "%nmaintenance benchmark, %s, %d cores, Java %s, parallelism 2, checkpoint interval 1 s, %s%n%n",
        ZonedDateTime.now(ZoneOffset.UTC).withNano(0), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        rate > 0 ? String.format(Locale.ROOT, "source rate %,.0f events/s", rate) : "source at full speed");
    System.out.println("| maintenance | events | events/s into the sink | streaming commits | compactions | active files"
        + " | max files in a partition | rows scanned | full scan s (median of " + scans + ") |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    rows.forEach(System.out::println);
  }

  private static EventsJobBenchmark.Result run(Path lake, int events, boolean maintenance, double rate)
      throws Exception {
    Map<String, String> params = new HashMap<>(Map.of(
        "kinesis.stream", "generator", "kinesis.region", "local", "lake.path", lake.toString()));
    params.put("sink.maintenance.enabled", Boolean.toString(maintenance));
    EventsJobConfig config = EventsJobConfig.from(JobParameters.of(params), new Secrets(k -> null, Secrets.fixed(Map.of())), k -> null);
    Configuration conf = new Configuration();
    // The dedup state outgrows the JobManager's 5 MB in-memory checkpoints at these sizes: every
    // checkpoint then fails and nothing is committed.
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        lake.resolve("_checkpoints").toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
    env.enableCheckpointing(Duration.ofSeconds(1).toMillis());
    EventsPipeline.configure(env);
    EventsJobBenchmark.Meter.reset();
    DataStream<KinesisRecord> records =
        env.fromSource(
                rate > 0
                    ? new DataGeneratorSource<>(new EventsJobBenchmark.Records(), events,
                        org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy.perSecond(rate),
                        TypeInformation.of(KinesisRecord.class))
                    : new DataGeneratorSource<>(new EventsJobBenchmark.Records(), events, TypeInformation.of(KinesisRecord.class)),
                WatermarkStrategy.noWatermarks(),
                "generated records")
            .uid("generator");
    EventsPipeline.Routed routed = EventsPipeline.route(records, config);
    DataStream<RowData> metered = routed.events().map(new EventsJobBenchmark.Meter())
        .returns(InternalTypeInfo.of(io.tributary.eventsjob.AtomicEventsTable.ROW_TYPE)).name("meter");
    EventsPipeline.sinkToDelta(new EventsPipeline.Routed(metered, routed.quarantine()), config);
    env.execute("maintenance bench " + (maintenance ? "on" : "off"));
    EventsJobBenchmark.Result r = new EventsJobBenchmark.Result();
    r.seconds = (EventsJobBenchmark.Meter.LAST.get() - EventsJobBenchmark.Meter.FIRST.get()) / 1e9;
    return r;
  }

  /** Commits and active files of a table. */
  private static final class TableFiles {
    int streamingCommits;
    int compactions;
    int active;
    int maxPerPartition;
  }

  private static TableFiles files(String table) throws java.io.IOException {
    TableFiles f = new TableFiles();
    try (Stream<Path> commits = java.nio.file.Files.list(Path.of(table, "_delta_log"))) {
      for (Path c : (Iterable<Path>) commits.filter(x -> x.getFileName().toString().endsWith(".json"))::iterator) {
        String text = java.nio.file.Files.readString(c);
        if (text.contains("\"operation\":\"STREAMING UPDATE\"")) {
          f.streamingCommits++;
        } else if (text.contains("Tributary-Compactor")) {
          f.compactions++;
        }
      }
    }
    Engine engine = DeltaTestTables.engine(Map.of());
    Snapshot snapshot = DeltaTestTables.snapshot(table, Map.of());
    Map<Map<String, String>, Integer> counts = new HashMap<>();
    ActiveFile.list(engine, snapshot).forEach(a -> counts.merge(a.partitionValues(), 1, Integer::sum));
    f.active = counts.values().stream().mapToInt(Integer::intValue).sum();
    f.maxPerPartition = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return f;
  }
}
