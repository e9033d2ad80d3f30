package io.tributary.bench;

import io.tributary.delta.DeltaSink;
import io.tributary.delta.DeltaTableSummary;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.maintenance.CompactionReport;
import io.tributary.delta.maintenance.CompactionSettings;
import io.tributary.delta.maintenance.Compactor;
import io.tributary.delta.maintenance.MaintainedTable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

/**
 * Time to compact one partition of many small files written by the streaming sink, and files
 * before/after. The table is written by a real Flink job with the sink, a fixed number of rows
 * per checkpoint so each checkpoint adds one small file per writer; then {@link Compactor} runs
 * once and the result is checked (every id once, counts from the log and the files).
 *
 * <pre>./mvnw -q -pl benchmarks -am -Pbench package -DskipTests \
 *   -Dbench.main=io.tributary.bench.CompactionBenchmark -Dbench.args="--files 1000 --rows-per-file 2000"</pre>
 */
public final class CompactionBenchmark {
  private CompactionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int files = 1000;
    int rowsPerFile = 2000;
    Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "tributary-compaction-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--files": files = Integer.parseInt(args[++i]); break;
        case "--rows-per-file": rowsPerFile = Integer.parseInt(args[++i]); break;
        case "--dir": dir = Paths.get(args[++i]); break;
        default:
          System.err.println("usage: CompactionBenchmark [--files 1000] [--rows-per-file 2000] [--dir DIR]");
          System.exit(args[i].equals("--help") ? 0 : 2);
      }
    }
    int parallelism = 2;
    long rows = (long) files * rowsPerFile;
    org.apache.flink.util.FileUtils.deleteDirectory(dir.toFile());
    String table = dir.resolve("events").toString();

    System.out.printf("Writing %,d rows into one partition as %,d small files (%d writers, %,d rows per checkpoint)...%n",
        rows, files, parallelism, rowsPerFile * parallelism);
    long writeStart = System.nanoTime();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
    env.setParallelism(parallelism);
    env.enableCheckpointing(20);
    env.fromSource(
            new DataGeneratorSource<RowData>(new EventRows.Generator(1, "compaction-bench"), rows,
                RateLimiterStrategy.perCheckpoint(rowsPerFile * parallelism), InternalTypeInfo.of(EventRows.ROW_TYPE)),
            WatermarkStrategy.noWatermarks(), "events")
        .uid("events")
        .sinkTo(DeltaSink.forRowData(EventRows.ROW_TYPE).tablePath(table)
            .partitionColumns(EventRows.PARTITION_COLUMN).sinkId("compaction-bench")
            .option(io.tributary.delta.DeltaSinkOptions.MAINTENANCE_ENABLED.key(), "false") // the benchmark compacts the small files itself
            .build())
        .uid("delta-sink");
    env.execute("compaction-bench-write");
    System.out.printf("  written in %.1f s%n", (System.nanoTime() - writeStart) / 1e9);

    DeltaTableSummary before = DeltaTableSummary.of(DeltaTables.engine(new org.apache.hadoop.conf.Configuration()), table);
    MaintainedTable maintained = MaintainedTable.open(table, Map.of());
    long start = System.nanoTime();
    CompactionReport report = new Compactor(maintained,
        CompactionSettings.builder().minInputFiles(2).maxPartitions(1).build()).compact();
    double seconds = (System.nanoTime() - start) / 1e9;
    DeltaTableSummary after = DeltaTableSummary.of(DeltaTables.engine(new org.apache.hadoop.conf.Configuration()), table);
    OutputCheck.Summary check = OutputCheck.delta(table, rows, true);

    System.out.println();
    System.out.println("Compaction of one partition (Compactor, default settings but min 2 files):");
    System.out.printf("  files      %,8d -> %,d%n", before.files(), after.files());
    System.out.printf("  bytes      %,8d -> %,d%n", before.bytes(), after.bytes());
    System.out.printf("  rows       %,8d -> %,d%n", before.rows(), after.rows());
    System.out.printf("  time       %.2f s (%.0f input files/s, %,.0f rows/s, %.1f MiB/s read)%n",
        seconds, before.files() / seconds, before.rows() / seconds, before.bytes() / seconds / (1 << 20));
    System.out.printf("  commit     %s%n", report.outcomes().isEmpty() ? "none" : "version " + report.outcomes().get(0).version());
    System.out.printf("  check      %s%n", OutputCheck.describe(check));
    System.exit(check.problems.isEmpty() ? 0 : 1);
  }

}
