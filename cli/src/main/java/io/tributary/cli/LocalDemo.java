package io.tributary.cli;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.tributary.delta.DeltaSink;
import io.tributary.delta.DeltaTableSummary;
import io.tributary.delta.DeltaTables;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

/**
 * {@code tributary local} until the jobs land: generated web events stream through the Delta sink
 * into {@code <lake>/silver/demo_events} on a local Flink MiniCluster, with live progress, and
 * stop with a savepoint so the last checkpoint's rows are committed.
 */
final class LocalDemo {
  static final Options.Spec OPTIONS =
      new Options.Spec("local")
          .option("duration", "30s", "how long to run; Ctrl-C stops earlier")
          .option("rate", "500/s", "generated events per second")
          .option("lake", "./lakehouse", "lake directory; tables go under <lake>/silver/")
          .option("checkpoint-interval", "5s", "Flink checkpoint interval = commit interval")
          .option("parallelism", "2", "writer parallelism");

  private static final String[] TYPES = {"page_view", "page_view", "page_view", "click", "search", "add_to_cart", "checkout", "purchase"};
  private static final String[] PAGES = {"/", "/products", "/products/42", "/search", "/cart", "/checkout"};

  static final RowType EVENTS =
      RowType.of(
          new LogicalType[] {
            new VarCharType(false, 36), new VarCharType(32), new BigIntType(), new VarCharType(36),
            new VarCharType(256), new LocalZonedTimestampType(3), new LocalZonedTimestampType(6),
            new DateType(), new VarCharType(256)
          },
          new String[] {
            "event_id", "event_type", "user_id", "session_id", "page_url", "event_timestamp",
            "etl_timestamp", "event_date", "source_filename"
          });

  /** Counts generated rows (the MiniCluster runs in this JVM). */
  static final AtomicLong GENERATED = new AtomicLong();

  private LocalDemo() {}

  static RowData event(long i) {
    GENERATED.incrementAndGet();
    Instant now = Instant.now();
    long session = i / 20;
    return GenericRowData.of(
        StringData.fromString(new UUID(0x7269627574617279L, i).toString()),
        StringData.fromString(TYPES[(int) (i % TYPES.length)]),
        session % 5 == 0 ? null : session % 1000,
        StringData.fromString(new UUID(0x73657373696f6eL, session).toString()),
        StringData.fromString(PAGES[(int) (i % PAGES.length)]),
        TimestampData.fromInstant(now),
        TimestampData.fromInstant(now),
        (int) LocalDate.ofInstant(now, ZoneOffset.UTC).toEpochDay(),
        StringData.fromString("generator://demo/" + i));
  }

  static int run(Options o) throws Exception {
    if (o.help) {
      System.out.println(o.help());
      return 0;
    }
    Duration duration = o.duration("duration");
    double rate = o.positiveNumber("rate");
    Duration interval = o.duration("checkpoint-interval");
    int parallelism = (int) o.positiveNumber("parallelism");
    Path lake = Paths.get(o.get("lake")).toAbsolutePath().normalize();
    String table = lake.resolve("silver/demo_events").toString();

    System.out.println("Tributary local (sink demo): generated web events -> Delta table " + table);
    System.out.println("The full platform (Postgres CDC, Kinesis events) replaces this demo as the jobs land.");

    DeltaSink sink =
        DeltaSink.forRowData(EVENTS).tablePath(table).partitionColumns("event_date").sinkId("local-demo").build();
    Engine engine = DeltaTables.engine(sink.config());

    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.PORT, 0);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(interval.toMillis());
    DataGeneratorSource<RowData> source =
        new DataGeneratorSource<>(LocalDemo::event, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), InternalTypeInfo.of(EVENTS));
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "demo events").uid("demo-events")
        .sinkTo(sink).uid("demo-events-delta-sink");
    JobClient job = env.executeAsync("tributary-local-demo");

    Thread stopper = new Thread(() -> stop(job, lake));
    Runtime.getRuntime().addShutdownHook(stopper);
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end && !job.getJobStatus().get().isGloballyTerminalState()) {
      TimeUnit.SECONDS.sleep(1);
      progress(engine, table);
    }
    Runtime.getRuntime().removeShutdownHook(stopper);
    stop(job, lake);
    System.out.println();
    DeltaTableSummary s = DeltaTableSummary.of(engine, table);
    System.out.printf(
        "Done. %s: version %d, %,d rows in %d files (%d partitions, %,d bytes); %,d generated.%n",
        table, s.version(), s.rows(), s.files(), s.partitions(), s.bytes(), GENERATED.get());
    System.out.println("Read it with Spark:  spark.read.format(\"delta\").load(\"" + table + "\")");
    System.out.println("List tables:         ./tributary tables --lake " + lake);
    return 0;
  }

  private static void progress(Engine engine, String table) {
    try {
      DeltaTableSummary s = DeltaTableSummary.of(engine, table);
      long age = System.currentTimeMillis() - s.commitTimestamp();
      System.out.printf(
          "\rgenerated %,10d | committed %,10d rows | version %4d | %4d files | last commit %3ds ago   ",
          GENERATED.get(), s.rows(), s.version(), s.files(), age / 1000);
    } catch (TableNotFoundException e) {
      System.out.print("\rwaiting for the first commit...");
    }
  }

  /** Stop with a savepoint: the sink commits the rows of the final checkpoint. */
  private static void stop(JobClient job, Path lake) {
    try {
      if (!job.getJobStatus().get().isGloballyTerminalState()) {
        System.out.print("\nstopping with a savepoint (commits the last rows)...");
        job.stopWithSavepoint(false, lake.resolve(".savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get(2, TimeUnit.MINUTES);
      }
    } catch (Exception e) {
      System.err.println("\ncould not stop cleanly: " + e.getMessage());
    }
  }
}
