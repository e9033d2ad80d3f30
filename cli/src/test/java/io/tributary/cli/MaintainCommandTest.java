package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.tributary.delta.DeltaSink;
import io.tributary.delta.DeltaTableSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintainCommandTest {
  private static final RowType TYPE =
      RowType.of(new LogicalType[] {new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH)}, new String[] {"id", "day"});

  @TempDir static Path dir;
  static String table;

  @BeforeAll
  static void writeTableInManySmallFiles() throws Exception {
    table = dir.resolve("events").toString();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(100);
    env.fromSource(
            new DataGeneratorSource<RowData>(
                id -> GenericRowData.of(id, StringData.fromString("d" + id % 2)), 400,
                RateLimiterStrategy.perSecond(400), InternalTypeInfo.of(TYPE)),
            WatermarkStrategy.noWatermarks(), "rows")
        // The CLI is what compacts and vacuums here: no in-job maintenance.
        .sinkTo(DeltaSink.forRowData(TYPE).tablePath(table).partitionColumns("day").option("maintenance.enabled", "false").build())
        .uid("sink");
    env.execute("maintain-cli");
  }

  @Test
  void compactsManifestsCheckpointsAndVacuums() {
    long filesBefore = summary().files();
    assertThat(filesBefore).isGreaterThan(2);

    Result compact = run("compact", table, "--min-files", "2");
    assertThat(compact.code).as(compact.err).isZero();
    assertThat(compact.out).contains("compacted " + filesBefore + " files into 2");
    assertThat(summary().files()).isEqualTo(2);
    assertThat(summary().rows()).isEqualTo(400);

    Result manifest = run("manifest", table);
    assertThat(manifest.out).contains("Wrote 2 manifests");
    assertThat(dir.resolve("events/_symlink_format_manifest/day=d0/manifest")).exists();

    Result checkpoint = run("checkpoint", table);
    assertThat(checkpoint.code).isZero();
    assertThat(checkpoint.out).contains("Checkpointed");

    Result dry = run("vacuum", table, "--retention", "0s", "--force", "--dry-run");
    assertThat(dry.out).contains("would delete " + filesBefore + " unreferenced files");
    Result vacuum = run("vacuum", table, "--retention", "0s", "--force");
    assertThat(vacuum.out).contains("deleted " + filesBefore + " unreferenced files");
    assertThat(summary().rows()).isEqualTo(400);
  }

  @Test
  void expectedFailuresPrintOneLine() throws Exception {
    Result tooShort = run("vacuum", table, "--retention", "1h");
    assertThat(tooShort.code).isEqualTo(1);
    assertThat(tooShort.err).contains("below the minimum of 7 days").doesNotContain("\tat ");

    Result missing = run("compact", Files.createTempDirectory(dir, "empty").toString());
    assertThat(missing.code).isEqualTo(1);
    assertThat(missing.err).contains("No Delta table at").doesNotContain("\tat ");

    Result usage = run("compact");
    assertThat(usage.code).isEqualTo(2);
    assertThat(usage.err).contains("Missing required parameter: 'TABLE'");
  }

  private static DeltaTableSummary summary() {
    return DeltaTableSummary.of(DefaultEngine.create(new org.apache.hadoop.conf.Configuration()), table);
  }

  private static final class Result {
    int code;
    String out;
    String err;
  }

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    Result r = new Result();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      r.code = MaintainCommand.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    r.out = o.toString(StandardCharsets.UTF_8);
    r.err = e.toString(StandardCharsets.UTF_8);
    return r;
  }
}
