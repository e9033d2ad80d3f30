package io.tributary.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tributary.delta.DeltaSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.DeltaTables;
import io.tributary.delta.maintenance.CompactionReport;
import io.tributary.delta.maintenance.CompactionSettings;
import io.tributary.delta.maintenance.Compactor;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.maintenance.SymlinkManifests;
import io.tributary.delta.maintenance.Vacuum;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Conformance of the Delta sink with an independent Delta reader: tables written by {@link
 * DeltaSink} in Flink jobs (MiniCluster, checkpoints every 200 ms, one Delta commit per
 * checkpoint) are read by Apache Spark with Delta Lake ({@code delta-spark}), which shares no
 * read code with the sink or with Delta Kernel.
 *
 * <ol>
 *   <li>a partitioned table: count, schema, every value, aggregates per partition;
 *   <li>partition pruning: a partition filter lists only that partition's files;
 *   <li>every supported Flink type, with extremes, nulls and empty collections, and lookups that
 *       depend on the per-file statistics of every type;
 *   <li>Delta log checkpoints, table history and detail, per-file statistics, data skipping;
 *   <li>decimals with more significant digits than a double holds (values and statistics);
 *   <li>partition values that need escaping in directory names and in the log's URIs.
 * </ol>
 *
 * <p>Every check compares what Spark returns with values computed independently from the
 * deterministic row generators, never with values read back through the sink's own stack. A
 * mismatch is reported as table, row id, column, written value and read value.
 *
 * <p>One Spark session (local, 2 cores) serves the whole class. The session uses the Java 8
 * date-time API, so Spark returns {@link LocalDate} and {@link Instant} values that do not depend
 * on the JVM's time zone; the session time zone is UTC. Adaptive query execution is off so that
 * the executed plan holds the file scan and its metrics directly.
 */
class SparkReadsSinkTablesTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir static Path tmp;

  private static SparkSession spark;

  /** The partitioned events table, written once and read by several tests. */
  private static String eventsTable;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("tributary-delta-conformance")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.datetime.java8API.enabled", "true")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.driver.host", "localhost")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.warehouse.dir", tmp.resolve("spark-warehouse").toUri().toString())
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Count, schema, every value, aggregates per partition
  // ---------------------------------------------------------------------------------------------

  @Test
  void sparkReadsTheSameRowsSchemaAndPartitionAggregates() throws Exception {
    String table = eventsTable();
    Dataset<Row> df = spark.read().format("delta").load(table);

    assertThat(df.schema().fieldNames()).containsExactly(Events.NAMES);
    assertThat(typeNames(df.schema()))
        .containsExactly("bigint", "date", "string", "decimal(10,2)", "timestamp", "int");
    assertThat(Arrays.stream(df.schema().fields()).map(StructField::nullable))
        .as("nullability (id is BIGINT NOT NULL)")
        .containsExactly(false, true, true, true, true, true);
    assertThat(df.count()).isEqualTo(Events.COUNT);

    // Every row, field by field (a few thousand rows: no need to sample).
    List<String> mismatches = new ArrayList<>();
    compareAll("events", df, Events.COUNT, Events::expected, mismatches);
    assertNoMismatches(mismatches);

    // Aggregates per partition against the generator.
    List<Row> perDay =
        spark
            .sql(
                "SELECT event_date, count(*), count(category), sum(amount), sum(quantity),"
                    + " min(ts), max(ts), min(id), max(id)"
                    + " FROM delta.`" + table + "` GROUP BY event_date ORDER BY event_date")
            .collectAsList();
    assertThat(perDay).hasSize(Events.DAYS);
    for (int d = 0; d < Events.DAYS; d++) {
      LocalDate day = Events.FIRST_DAY.plusDays(d);
      long[] ids = LongStream.range(0, Events.COUNT).filter(id -> Events.day(id).equals(day)).toArray();
      Row r = perDay.get(d);
      String what = "partition event_date=" + day;
      assertThat(r.<LocalDate>getAs(0)).as(what).isEqualTo(day);
      assertThat(r.getLong(1)).as(what + " count(*)").isEqualTo(ids.length);
      assertThat(r.getLong(2))
          .as(what + " count(category)")
          .isEqualTo(Arrays.stream(ids).filter(id -> Events.category(id) != null).count());
      assertThat(r.getDecimal(3))
          .as(what + " sum(amount)")
          .isEqualByComparingTo(
              Arrays.stream(ids).mapToObj(Events::amount).reduce(BigDecimal.ZERO, BigDecimal::add));
      assertThat(r.getLong(4))
          .as(what + " sum(quantity)")
          .isEqualTo(
              Arrays.stream(ids).mapToObj(Events::quantity).filter(Objects::nonNull).mapToLong(Integer::longValue).sum());
      assertThat(r.<Instant>getAs(5)).as(what + " min(ts)").isEqualTo(Events.ts(ids[0]));
      assertThat(r.<Instant>getAs(6)).as(what + " max(ts)").isEqualTo(Events.ts(ids[ids.length - 1]));
      assertThat(r.getLong(7)).as(what + " min(id)").isEqualTo(ids[0]);
      assertThat(r.getLong(8)).as(what + " max(id)").isEqualTo(ids[ids.length - 1]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Partition pruning
  // ---------------------------------------------------------------------------------------------

  @Test
  void partitionFilterReadsOnlyThatPartitionsFiles() throws Exception {
    String table = eventsTable();
    LocalDate day = Events.FIRST_DAY.plusDays(2);
    Dataset<Row> df =
        spark
            .read()
            .format("delta")
            .load(table)
            .where("event_date = DATE'" + day + "'")
            .select(functions.col("id"), functions.col("event_date"), functions.input_file_name().as("file"));
    List<Row> rows = df.collectAsList();

    List<Long> expectedIds =
        LongStream.range(0, Events.COUNT).filter(id -> Events.day(id).equals(day)).boxed().collect(Collectors.toList());
    assertThat(rows.stream().map(r -> r.getLong(0)).sorted().collect(Collectors.toList()))
        .as("ids of partition event_date=%s", day)
        .isEqualTo(expectedIds);
    assertThat(rows).allSatisfy(r -> assertThat(r.<LocalDate>getAs(1)).isEqualTo(day));
    Set<String> filesRead = rows.stream().map(r -> r.getString(2)).collect(Collectors.toCollection(TreeSet::new));
    assertThat(filesRead).allSatisfy(f -> assertThat(f).contains("/event_date=" + day + "/"));

    // Pruned while planning: the scan carries the partition filter and lists only that
    // partition's files (the count Spark's own log replay gives for the partition).
    SparkPlan plan = df.queryExecution().executedPlan();
    Matcher partitionFilters = Pattern.compile("PartitionFilters: \\[([^\\]]*)\\]").matcher(plan.toString());
    assertThat(partitionFilters.find()).as("PartitionFilters in plan%n%s", plan).isTrue();
    assertThat(partitionFilters.group(1)).contains("event_date").contains(day.toString());

    Snapshot snapshot = snapshot(table);
    long partitionFiles =
        snapshot.allFiles().toDF().where(functions.col("partitionValues").getItem("event_date").equalTo(day.toString())).count();
    SparkPlan scan = fileScan(df);
    assertThat(metric(scan, "numFiles"))
        .as("files read by the scan")
        .isEqualTo(partitionFiles)
        .isEqualTo(filesRead.size())
        .isLessThan(snapshot.numOfFiles());
    if (scan.metrics().contains("numPartitions")) {
      assertThat(metric(scan, "numPartitions")).as("partitions read").isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Every supported type
  // ---------------------------------------------------------------------------------------------

  @Test
  void everySupportedTypeRoundTrips() throws Exception {
    String table = tmp.resolve("all_types").toString();
    write(table, AllTypes.TYPE, AllTypes::row, AllTypes.COUNT, RateLimiterStrategy.noOp(), Collections.emptyMap(), "tag");
    Dataset<Row> df = spark.read().format("delta").load(table);

    assertThat(df.schema().fieldNames()).containsExactly(AllTypes.NAMES);
    assertThat(typeNames(df.schema()))
        .containsExactly(
            "bigint", "string", "boolean", "tinyint", "smallint", "int", "bigint", "float", "double",
            "decimal(5,2)", "decimal(18,4)", "decimal(38,10)", "string", "string", "binary", "date",
            "timestamp", "timestamp", "timestamp", "struct<a:int,b:string>", "array<string>",
            "array<struct<x:bigint,y:double>>", "map<string,bigint>", "array<array<int>>");

    List<String> mismatches = new ArrayList<>();
    compareAll("all_types", df, AllTypes.COUNT, AllTypes::expected, mismatches);

    // TIMESTAMP without time zone: the wall clock, rendered in the (UTC) session time zone.
    DateTimeFormatter wallClock = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    for (Row r :
        df.select(functions.col("id"), functions.date_format(functions.col("ts_ntz"), "yyyy-MM-dd HH:mm:ss.SSSSSS"))
            .collectAsList()) {
      LocalDateTime written = (LocalDateTime) AllTypes.values(r.getLong(0))[AllTypes.index("ts_ntz")];
      String want = written == null ? null : written.format(wallClock);
      if (!Objects.equals(want, r.getString(1))) {
        mismatches.add("all_types id=" + r.getLong(0) + " ts_ntz as wall clock: written " + want + ", read " + r.getString(1));
      }
    }

    // Point and IS NULL lookups on every column with statistics: Spark skips files by the
    // sink's min/max/nullCount, so a wrong bound would lose rows here.
    long[] probes = {1, 2, 3, 10, 27};
    for (String column : AllTypes.STATS_COLUMNS) {
      int c = AllTypes.index(column);
      List<Object> values = new ArrayList<>();
      for (long p : probes) {
        Object v = AllTypes.sparkValue(p, c);
        if (v != null) {
          values.add(v);
        }
      }
      Set<Long> want = new TreeSet<>();
      Set<Long> wantNull = new TreeSet<>();
      for (long id = 0; id < AllTypes.COUNT; id++) {
        Object v = AllTypes.sparkValue(id, c);
        if (v == null) {
          wantNull.add(id);
        } else if (values.stream().anyMatch(x -> sqlEquals(x, v))) {
          want.add(id);
        }
      }
      Set<Long> got = ids(df.where(functions.col(column).isin(values.toArray())));
      if (!got.equals(want)) {
        mismatches.add("all_types " + column + " IN " + values + ": expected ids " + want + ", read " + got);
      }
      Set<Long> gotNull = ids(df.where(functions.col(column).isNull()));
      if (!gotNull.equals(wantNull)) {
        mismatches.add("all_types " + column + " IS NULL: expected ids " + wantNull + ", read " + gotNull);
      }
    }
    assertNoMismatches(mismatches);
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Log checkpoints, history, statistics and data skipping
  // ---------------------------------------------------------------------------------------------

  @Test
  void logCheckpointsHistoryAndFileStatisticsWorkInSpark() throws Exception {
    String table = tmp.resolve("checkpointed").toString();
    long count = 4_000;
    String sinkId = "conformance-checkpointed";
    JobExecutionResult job =
        write(
            table, sinkId, Events.TYPE, Events::row, count, RateLimiterStrategy.perSecond(2_000),
            // The sink's own commits only: the history below expects nothing but streaming updates.
            Map.of("log.checkpoint-interval", "2", "maintenance.enabled", "false"));
    Path log = Path.of(table, "_delta_log");

    long latest = maxVersion(log, "\\d{20}\\.json");
    List<Long> checkpoints = versions(log, "\\d{20}\\.checkpoint\\.parquet");
    assertThat(latest).as("commits (one per Flink checkpoint)").isGreaterThanOrEqualTo(4);
    assertThat(checkpoints).as("Delta log checkpoints every 2 versions").isNotEmpty().allSatisfy(v -> assertThat(v % 2).isZero());
    long lastCheckpoint = checkpoints.get(checkpoints.size() - 1);
    assertThat(lastCheckpoint).isGreaterThanOrEqualTo(latest - 1);
    Matcher lastCheckpointFile = Pattern.compile("\"version\"\\s*:\\s*(\\d+)").matcher(Files.readString(log.resolve("_last_checkpoint")));
    assertThat(lastCheckpointFile.find()).isTrue();
    assertThat(Long.parseLong(lastCheckpointFile.group(1))).as("_last_checkpoint").isEqualTo(lastCheckpoint);

    // Spark's log replay starts from the sink's checkpoint and ends at the latest commit.
    Snapshot snapshot = snapshot(table);
    assertThat(snapshot.version()).isEqualTo(latest);
    assertThat(snapshot.checkpointProvider().version()).as("checkpoint Spark loaded").isEqualTo(lastCheckpoint);
    if (snapshot.checksumOpt().isDefined()) {
      assertThat(snapshot.validateChecksum(snapshot.validateChecksum$default$1()))
          .as("Spark validates the version checksum (.crc) of version %s", latest)
          .isTrue();
    }
    // Spark sees the sink's transaction identifier (used for exactly-once commits): the sink id
    // and the id of the run (drawn when the job started; one run, no failover here).
    Map<String, Object> transactions = CollectionConverters.asJava(snapshot.transactions());
    List<String> appIds = transactions.keySet().stream()
        .filter(k -> k.startsWith("tributary:" + sinkId + ":")).collect(Collectors.toList());
    assertThat(appIds).as("transaction ids of the sink").hasSize(1);
    assertThat(appIds.get(0)).isNotEqualTo("tributary:" + sinkId + ":" + job.getJobID());
    assertThat((Long) transactions.get(appIds.get(0))).isPositive();

    Dataset<Row> df = spark.read().format("delta").load(table);
    assertThat(df.count()).isEqualTo(count);
    assertThat(df.agg(functions.sum("id")).first().getLong(0)).isEqualTo(count * (count - 1) / 2);

    // DESCRIBE DETAIL and DESCRIBE HISTORY.
    Map<String, FileFacts> files = fileFacts(df);
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + table + "`").first();
    assertThat(detail.<String>getAs("format")).isEqualTo("delta");
    assertThat(detail.<Long>getAs("numFiles")).isEqualTo((long) files.size()).isEqualTo(snapshot.numOfFiles());
    assertThat(CollectionConverters.asJava(detail.<scala.collection.Seq<String>>getAs("partitionColumns"))).isEmpty();
    assertThat(detail.<Integer>getAs("minReaderVersion")).isEqualTo(1);
    assertThat(detail.<Integer>getAs("minWriterVersion")).isEqualTo(2);
    assertThat(CollectionConverters.asJava(detail.<scala.collection.Map<String, String>>getAs("properties")))
        .containsEntry("delta.checkpointInterval", "2");
    assertThat(detail.<Long>getAs("sizeInBytes")).isEqualTo(dataFileBytes(Path.of(table)));

    List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + table + "`").collectAsList();
    assertThat(history.stream().map(r -> r.<Long>getAs("version")).sorted().collect(Collectors.toList()))
        .isEqualTo(LongStream.rangeClosed(0, latest).boxed().collect(Collectors.toList()));
    for (Row h : history) {
      long version = h.getAs("version");
      assertThat(h.<String>getAs("operation"))
          .as("operation of version %s", version)
          .isEqualTo(version == 0 ? "CREATE TABLE" : "STREAMING UPDATE");
      assertThat(h.<String>getAs("engineInfo")).as("engineInfo of version %s", version).contains("Tributary-DeltaSink");
    }

    // Per-file statistics in the log (read through Spark's replay of checkpoint + commits)
    // agree with the rows Spark reads from each file.
    List<String> mismatches = new ArrayList<>();
    List<Row> stats =
        snapshot
            .allFiles()
            .toDF()
            .select(functions.col("path"), functions.from_json(functions.col("stats"), Events.STATS_DDL, Map.of()).as("s"))
            .select("path", "s.*")
            .collectAsList();
    assertThat(stats).hasSize(files.size());
    for (Row s : stats) {
      String name = fileName(s.getAs("path"));
      FileFacts f = files.get(name);
      if (f == null) {
        mismatches.add("checkpointed: file " + name + " is in the log but Spark read no rows from it");
        continue;
      }
      checkStat(mismatches, name, "numRecords", f.rows, s.getAs("numRecords"));
      Row min = s.getAs("minValues");
      Row max = s.getAs("maxValues");
      Row nulls = s.getAs("nullCount");
      checkStat(mismatches, name, "minValues.id", f.minId, min.getAs("id"));
      checkStat(mismatches, name, "maxValues.id", f.maxId, max.getAs("id"));
      checkStat(mismatches, name, "minValues.event_date", f.minDay, min.getAs("event_date"));
      checkStat(mismatches, name, "maxValues.event_date", f.maxDay, max.getAs("event_date"));
      checkStat(mismatches, name, "minValues.category", f.minCategory, min.getAs("category"));
      checkStat(mismatches, name, "maxValues.category", f.maxCategory, max.getAs("category"));
      checkDecimalStat(mismatches, name, "minValues.amount", f.minAmount, min.getAs("amount"));
      checkDecimalStat(mismatches, name, "maxValues.amount", f.maxAmount, max.getAs("amount"));
      checkStat(mismatches, name, "minValues.quantity", f.minQuantity, min.getAs("quantity"));
      checkStat(mismatches, name, "maxValues.quantity", f.maxQuantity, max.getAs("quantity"));
      checkStat(mismatches, name, "nullCount.id", 0L, nulls.getAs("id"));
      checkStat(mismatches, name, "nullCount.category", f.nullCategories, nulls.getAs("category"));
      checkStat(mismatches, name, "nullCount.quantity", f.nullQuantities, nulls.getAs("quantity"));
      // The log stores milliseconds: the minimum is truncated, the maximum rounded up.
      Instant minTs = min.getAs("ts");
      Instant maxTs = max.getAs("ts");
      if (minTs == null || minTs.isAfter(f.minTs) || !minTs.plusMillis(1).isAfter(f.minTs)) {
        mismatches.add("checkpointed " + name + " minValues.ts: rows' min " + f.minTs + ", stats " + minTs);
      }
      if (maxTs == null || maxTs.isBefore(f.maxTs) || !maxTs.minusMillis(1).isBefore(f.maxTs)) {
        mismatches.add("checkpointed " + name + " maxValues.ts: rows' max " + f.maxTs + ", stats " + maxTs);
      }
    }
    assertNoMismatches(mismatches);

    // Data skipping with those statistics: a point lookup reads only the files whose id range
    // holds the id; with skipping disabled the same query reads every file.
    long probe = 5;
    Dataset<Row> lookup = spark.sql("SELECT * FROM delta.`" + table + "` WHERE id = " + probe);
    List<Row> found = lookup.collectAsList();
    assertThat(found).hasSize(1);
    compareRow("checkpointed", probe, found.get(0), Events.expected(probe), mismatches);
    long filesHoldingProbe = files.values().stream().filter(f -> f.minId <= probe && probe <= f.maxId).count();
    assertThat(filesHoldingProbe).isEqualTo(1);
    assertThat(metric(fileScan(lookup), "numFiles"))
        .as("files read for id = %s with data skipping (of %s)", probe, files.size())
        .isEqualTo(filesHoldingProbe)
        .isLessThan(files.size());
    spark.conf().set("spark.databricks.delta.stats.skipping", "false");
    try {
      Dataset<Row> unskipped = spark.sql("SELECT * FROM delta.`" + table + "` WHERE id = " + probe);
      assertThat(unskipped.collectAsList()).hasSize(1);
      assertThat(metric(fileScan(unskipped), "numFiles")).as("files read without data skipping").isEqualTo(files.size());
    } finally {
      spark.conf().unset("spark.databricks.delta.stats.skipping");
    }
    // A timestamp equal to a file's maximum (sub-millisecond digits) is still found: the rounded
    // up maximum keeps that file.
    FileFacts first = files.values().stream().min((a, b) -> Long.compare(a.minId, b.minId)).orElseThrow();
    Dataset<Row> byTs = spark.read().format("delta").load(table).where(functions.col("ts").equalTo(functions.lit(first.maxTs)));
    assertThat(ids(byTs)).as("rows with ts = %s", first.maxTs).containsExactly(first.maxId);

    // The checkpoint alone describes the table: with the commits before it removed (as Delta's
    // log cleanup does), Spark still reads every row.
    Path copy = tmp.resolve("checkpointed-copy");
    copyTree(Path.of(table), copy);
    try (Stream<Path> entries = Files.list(copy.resolve("_delta_log"))) {
      for (Path p : entries.collect(Collectors.toList())) {
        Matcher m = Pattern.compile("\\.?(\\d{20})\\.json(\\.crc)?").matcher(p.getFileName().toString());
        if (m.matches() && Long.parseLong(m.group(1)) < lastCheckpoint) {
          Files.delete(p);
        }
      }
    }
    Snapshot fromCheckpoint = snapshot(copy.toString());
    assertThat(fromCheckpoint.version()).isEqualTo(latest);
    assertThat(fromCheckpoint.checkpointProvider().version()).isEqualTo(lastCheckpoint);
    Dataset<Row> copied = spark.read().format("delta").load(copy.toString());
    assertThat(copied.count()).isEqualTo(count);
    assertThat(copied.agg(functions.sum("id")).first().getLong(0)).isEqualTo(count * (count - 1) / 2);
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Decimals with more significant digits than a double holds
  // ---------------------------------------------------------------------------------------------

  /**
   * DECIMAL(18,4) and DECIMAL(38,10) values with 16 to 38 significant digits: Spark must read the
   * exact values, the per-file min/max statistics must be the exact bounds, and a point lookup
   * (which Spark answers after skipping files by those bounds) must find every row. The second
   * table holds the largest values of both types; its job must simply succeed.
   */
  /**
   * Strings longer than the statistics prefix (32 characters by default; UUIDs, URLs, file names)
   * still get a maximum: its prefix and a tie-breaker, so Spark skips files on a point lookup, and
   * a lookup whose values differ only after the prefix still finds every row.
   */
  @Test
  void longStringsKeepAnUpperBoundThatSparkSkipsFilesBy() throws Exception {
    String table = tmp.resolve("long_strings").toString();
    long count = 3_000;
    write(table, LongStrings.TYPE, LongStrings::row, count, RateLimiterStrategy.perSecond(3_000), Collections.emptyMap());
    Dataset<Row> df = spark.read().format("delta").load(table);
    assertThat(df.count()).isEqualTo(count);

    // What each file holds, as Spark reads it.
    Map<String, String[]> ranges = new TreeMap<>();
    for (Row r :
        df.groupBy(functions.input_file_name())
            .agg(functions.min("key"), functions.max("key"))
            .collectAsList()) {
      ranges.put(fileName(r.getString(0)), new String[] {r.getString(1), r.getString(2)});
    }
    assertThat(ranges).as("data files").hasSizeGreaterThan(2);

    // The log's maximum of every file bounds the file's values.
    List<String> mismatches = new ArrayList<>();
    for (Row s :
        snapshot(table)
            .allFiles()
            .toDF()
            .select(functions.col("path"), functions.from_json(functions.col("stats"), "maxValues STRUCT<key: STRING, tail_key: STRING>", Map.of()).as("s"))
            .collectAsList()) {
      String name = fileName(s.getString(0));
      Row max = s.<Row>getAs("s").getAs("maxValues");
      String key = max == null ? null : max.getAs("key");
      if (key == null || key.compareTo(ranges.get(name)[1]) < 0) {
        mismatches.add(name + ": maxValues.key " + key + " does not bound the file's max " + ranges.get(name)[1]);
      }
      if (max == null || max.getAs("tail_key") == null) {
        mismatches.add(name + ": no maxValues.tail_key");
      }
    }
    assertNoMismatches(mismatches);

    long probe = count / 3;
    String probeKey = LongStrings.key(probe);
    Dataset<Row> lookup = spark.sql("SELECT id FROM delta.`" + table + "` WHERE key = '" + probeKey + "'");
    assertThat(lookup.collectAsList()).extracting(r -> r.getLong(0)).containsExactly(probe);
    long holding = ranges.values().stream().filter(r -> r[0].compareTo(probeKey) <= 0 && probeKey.compareTo(r[1]) <= 0).count();
    assertThat(metric(fileScan(lookup), "numFiles"))
        .as("files read for key = %s with data skipping (of %s)", probeKey, ranges.size())
        .isEqualTo(holding)
        .isLessThan(ranges.size());

    // Values that differ only after the prefix share one bound; no row may be skipped.
    Set<Long> probes = new TreeSet<>(List.of(0L, probe, count - 1));
    String in = probes.stream().map(id -> "'" + LongStrings.tailKey(id) + "'").collect(Collectors.joining(", "));
    assertThat(ids(spark.sql("SELECT id FROM delta.`" + table + "` WHERE tail_key IN (" + in + ")"))).isEqualTo(probes);
  }

  @Test
  void fullPrecisionDecimalsKeepExactStatistics() throws Exception {
    List<String> problems = new ArrayList<>();
    checkDecimalTable("decimals_precise", Decimals::precise, Decimals.PRECISE.length, problems);
    checkDecimalTable("decimals_extreme", Decimals::extreme, Decimals.EXTREME.length, problems);
    assertNoMismatches(problems);
  }

  private static void checkDecimalTable(
      String name, GeneratorFunction<Long, RowData> rows, int count, List<String> problems) throws Exception {
    String table = tmp.resolve(name).toString();
    try {
      write(table, Decimals.TYPE, rows, count, RateLimiterStrategy.noOp(), Collections.emptyMap());
    } catch (Exception e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      Throwable top = e;
      while (top.getCause() != null && !(top instanceof io.delta.kernel.exceptions.KernelException)) {
        top = top.getCause();
      }
      problems.add(name + ": the Flink job writing the table failed: " + top + " (root cause: " + root + ")");
      return;
    }
    BigDecimal[][] values = name.endsWith("precise") ? Decimals.PRECISE : Decimals.EXTREME;
    Dataset<Row> df = spark.read().format("delta").load(table);

    // Exact values.
    compareAll(name, df, count, id -> Decimals.expected(values, id), problems);

    // Statistics in the log against each file's rows.
    Map<String, Row> perFile = new HashMap<>();
    for (Row r :
        df.groupBy(functions.input_file_name())
            .agg(functions.min("d18"), functions.max("d18"), functions.min("d38"), functions.max("d38"))
            .collectAsList()) {
      perFile.put(fileName(r.getString(0)), r);
    }
    for (Row s :
        snapshot(table)
            .allFiles()
            .toDF()
            .select(functions.col("path"), functions.from_json(functions.col("stats"), Decimals.STATS_DDL, Map.of()).as("s"))
            .select("path", "s.*")
            .collectAsList()) {
      String file = fileName(s.getAs("path"));
      Row rowsSay = perFile.get(file);
      Row min = s.getAs("minValues");
      Row max = s.getAs("maxValues");
      if (rowsSay == null || min == null || max == null) {
        problems.add(name + " " + file + ": no rows read or no min/max statistics (" + s + ")");
        continue;
      }
      String[] stats = {"minValues.d18", "maxValues.d18", "minValues.d38", "maxValues.d38"};
      BigDecimal[] fromLog = {min.getAs("d18"), max.getAs("d18"), min.getAs("d38"), max.getAs("d38")};
      for (int k = 0; k < stats.length; k++) {
        BigDecimal fromRows = rowsSay.getDecimal(k + 1);
        if (fromLog[k] == null || fromLog[k].compareTo(fromRows) != 0) {
          problems.add(name + " " + file + " " + stats[k] + ": rows say " + fromRows + ", log says " + fromLog[k]);
        }
      }
    }

    // Point lookups, answered after data skipping.
    for (long id = 0; id < count; id++) {
      for (String column : new String[] {"d18", "d38"}) {
        BigDecimal v = values[(int) id][column.equals("d18") ? 0 : 1];
        Set<Long> found = ids(df.where(functions.col(column).equalTo(functions.lit(v))));
        if (!found.contains(id)) {
          problems.add(name + " id=" + id + ": SELECT ... WHERE " + column + " = " + v + " returned ids " + found + ", not " + id);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 6. Partition values that need escaping
  // ---------------------------------------------------------------------------------------------

  /**
   * STRING partition values with characters that are escaped in Hive-style directory names
   * ({@code / = : % #}) or in URIs (space, {@code %}), non-ASCII text, the empty string and null:
   * every {@code add.path} in the log must resolve to the data file on disk (the protocol stores
   * it as a relative URI), and Spark must read every row with its partition value, whole and
   * partition by partition.
   */
  @Test
  void partitionValuesThatNeedEscapingStayReadable() throws Exception {
    String table = tmp.resolve("escaped_partitions").toString();
    write(table, Tagged.TYPE, Tagged::row, Tagged.COUNT, RateLimiterStrategy.noOp(), Collections.emptyMap(), "tag");
    List<String> problems = new ArrayList<>();

    // Every path in the log, decoded as the protocol says (a relative URI), names a file.
    Path root = Path.of(table);
    Map<String, List<String>> unresolved = new TreeMap<>();
    Map<String, Integer> filesPerValue = new TreeMap<>();
    for (Row add : snapshot(table).allFiles().toDF().select("path", "partitionValues").collectAsList()) {
      String path = add.getString(0);
      String value = String.valueOf(CollectionConverters.asJava(add.<scala.collection.Map<String, String>>getAs(1)).get("tag"));
      filesPerValue.merge(value, 1, Integer::sum);
      Path resolved = Path.of(root.toUri().resolve(new java.net.URI(path)));
      if (!Files.isRegularFile(resolved)) {
        try (Stream<Path> candidates = Files.walk(root)) {
          String actual =
              candidates
                  .filter(f -> f.getFileName().toString().equals(fileName(path)))
                  .map(f -> root.relativize(f).toString())
                  .findFirst()
                  .orElse("nowhere");
          unresolved
              .computeIfAbsent(value, v -> new ArrayList<>())
              .add("add.path " + path + " decodes to " + root.relativize(resolved) + ", which does not exist; the file is " + actual);
        }
      }
    }
    unresolved.forEach(
        (value, paths) ->
            problems.add(
                "escaped_partitions partition value '" + value + "': " + paths.size() + " of " + filesPerValue.get(value)
                    + " files unreachable, e.g. " + paths.get(0)));

    Dataset<Row> df = spark.read().format("delta").load(table);
    try {
      compareAll("escaped_partitions", df, Tagged.COUNT, Tagged::expected, problems);
    } catch (Exception e) {
      problems.add("escaped_partitions: Spark could not read the table: " + firstLine(e));
    }
    // Partition by partition (pruning reads only that partition's files): ids and values.
    for (String tag : Tagged.TAGS) {
      Set<Long> want = new TreeSet<>();
      LongStream.range(0, Tagged.COUNT).filter(id -> Objects.equals(Tagged.expectedTag(id), tag)).forEach(want::add);
      Column filter = tag == null ? functions.col("tag").isNull() : functions.col("tag").equalTo(tag);
      String written = tag == null ? "null" : "'" + tag + "'";
      try {
        Map<Long, String> got = new TreeMap<>();
        df.where(filter).select("id", "tag").collectAsList().forEach(r -> got.put(r.getLong(0), r.getString(1)));
        if (!got.keySet().equals(want)) {
          problems.add("escaped_partitions WHERE " + filter + " (written as " + written + "): expected ids " + want + ", read " + got.keySet());
        }
        got.forEach(
            (id, value) -> {
              if (!Objects.equals(value, tag)) {
                problems.add("escaped_partitions id=" + id + " column tag: written '" + Tagged.tag(id) + "', read " + value);
              }
            });
      } catch (Exception e) {
        problems.add("escaped_partitions WHERE " + filter + " (written as " + written + "): " + firstLine(e));
      }
    }
    assertNoMismatches(problems);
  }

  // ---------------------------------------------------------------------------------------------
  // 7. Maintenance: compaction, log checkpoint, vacuum and Spectrum manifests, read by Spark
  // ---------------------------------------------------------------------------------------------

  /**
   * In-job maintenance (the sink's default, here with low thresholds so a short job compacts
   * often): Spark reads every compaction's version and the version before it identically, and the
   * latest version holds every written row once with its values.
   */
  @Test
  void inJobMaintenanceNeverChangesWhatSparkReads() throws Exception {
    String table = tmp.resolve("in_job_maintained").toString();
    write(table, "in-job", Events.TYPE, Events::row, Events.COUNT, RateLimiterStrategy.perSecond(2_000),
        Map.of("maintenance.commit-interval", "2", "maintenance.compaction.min-files", "3"), "event_date");
    List<Long> compactions = new ArrayList<>();
    try (Stream<Path> commits = Files.list(Path.of(table, "_delta_log"))) {
      for (Path commit : commits.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted()
          .collect(Collectors.toList())) {
        if (Files.readString(commit).contains("Tributary-Compactor")) {
          compactions.add(Long.parseLong(commit.getFileName().toString().substring(0, 20)));
        }
      }
    }
    assertThat(compactions).as("compaction commits made by the job itself").isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (long v : compactions) {
      Map<Long, Row> before = byId(spark.read().format("delta").option("versionAsOf", v - 1).load(table));
      Map<Long, Row> after = byId(spark.read().format("delta").option("versionAsOf", v).load(table));
      if (!before.equals(after)) {
        problems.add("version " + v + " (compaction) reads " + after.size() + " rows, version " + (v - 1) + " " + before.size()
            + (before.keySet().equals(after.keySet()) ? " (values differ)" : " (ids differ)"));
      }
    }
    compareAll("in_job_maintained", spark.read().format("delta").load(table), Events.COUNT, Events::expected, problems);
    assertNoMismatches(problems);
  }

  private static Map<Long, Row> byId(Dataset<Row> df) {
    Map<Long, Row> rows = new HashMap<>();
    df.collectAsList().forEach(r -> rows.put(r.getLong(0), r));
    return rows;
  }

  @Test
  void compactedVacuumedTablesReadTheSameAndManifestsListSparksFiles() throws Exception {
    List<String> problems = new ArrayList<>();
    String events = tmp.resolve("maintained_events").toString();
    write(events, Events.TYPE, Events::row, Events.COUNT, RateLimiterStrategy.perSecond(4_000),
        Map.of("manifest.enabled", "true"), "event_date");
    String tags = tmp.resolve("maintained_tags").toString();
    write(tags, Tagged.TYPE, Tagged::row, Tagged.COUNT, RateLimiterStrategy.perSecond(60),
        Map.of("manifest.enabled", "true"), "tag");

    for (String table : List.of(events, tags)) {
      MaintainedTable maintained = MaintainedTable.open(table, Map.of());
      int before = ActiveFile.list(maintained.engine(), maintained.snapshot()).size();
      CompactionReport report = new Compactor(maintained, CompactionSettings.builder().minInputFiles(2).build()).compact();
      if (table.equals(events)) {
        assertThat(report.filesRemoved()).as("events compaction: " + report).isGreaterThan(0);
        assertThat(ActiveFile.list(maintained.engine(), maintained.snapshot()).size()).isLessThan(before);
      }
      long checkpointed = maintained.checkpoint();
      assertThat(Path.of(table, "_delta_log", String.format("%020d.checkpoint.parquet", checkpointed))).exists();
      new Vacuum(maintained, java.time.Duration.ZERO, false, true).run();
      assertThat(snapshot(table).version()).as("Spark sees the checkpointed version").isEqualTo(checkpointed);
    }

    compareAll("maintained_events", spark.read().format("delta").load(events), Events.COUNT, Events::expected, problems);
    compareAll("maintained_tags", spark.read().format("delta").load(tags), Tagged.COUNT, Tagged::expected, problems);

    // Per partition, the manifest lists exactly the files Spark reads for that partition.
    Map<String, List<String>> eventManifests = new SymlinkManifests(MaintainedTable.open(events, Map.of())).read();
    assertThat(eventManifests).hasSize(Events.DAYS);
    for (int d = 0; d < Events.DAYS; d++) {
      LocalDate day = Events.FIRST_DAY.plusDays(d);
      Dataset<Row> partition = spark.read().format("delta").load(events).where(functions.col("event_date").equalTo(java.sql.Date.valueOf(day)));
      compareManifest("event_date=" + day + "/", eventManifests, partition.inputFiles(), problems);
    }
    Map<String, List<String>> tagManifests = new SymlinkManifests(MaintainedTable.open(tags, Map.of())).read();
    io.delta.kernel.Snapshot tagSnapshot = MaintainedTable.open(tags, Map.of()).snapshot();
    for (String tag : new TreeSet<>(Arrays.stream(Tagged.TAGS).map(t -> t == null || t.isEmpty() ? null : t)
        .filter(Objects::nonNull).collect(Collectors.toList()))) {
      Dataset<Row> partition = spark.read().format("delta").load(tags).where(functions.col("tag").equalTo(tag));
      String dir = DeltaTables.partitionDirectory(tagSnapshot.getPartitionColumnNames(), Map.of("tag", tag));
      compareManifest(dir, tagManifests, partition.inputFiles(), problems);
    }
    Dataset<Row> nulls = spark.read().format("delta").load(tags).where(functions.col("tag").isNull());
    java.util.HashMap<String, String> nullTag = new java.util.HashMap<>();
    nullTag.put("tag", null);
    compareManifest(DeltaTables.partitionDirectory(tagSnapshot.getPartitionColumnNames(), nullTag), tagManifests, nulls.inputFiles(), problems);
    assertNoMismatches(problems);
  }

  /** Compares a manifest with Spark's input files by absolute path. */
  private static void compareManifest(String dir, Map<String, List<String>> manifests, String[] sparkFiles, List<String> problems)
      throws Exception {
    Set<String> spark = new TreeSet<>();
    for (String f : sparkFiles) {
      spark.add(new org.apache.hadoop.fs.Path(f).toUri().getPath()); // Spark lists Hadoop path strings
    }
    Set<String> manifest = new TreeSet<>();
    for (String f : manifests.getOrDefault(dir, List.of())) {
      manifest.add(new org.apache.hadoop.fs.Path(f).toUri().getPath());
    }
    if (!spark.equals(manifest)) {
      problems.add("manifest " + dir + " lists " + manifest + " but Spark reads " + spark);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing through the sink
  // ---------------------------------------------------------------------------------------------

  private static synchronized String eventsTable() throws Exception {
    if (eventsTable == null) {
      String table = tmp.resolve("events").toString();
      write(table, Events.TYPE, Events::row, Events.COUNT, RateLimiterStrategy.perSecond(4_000), Collections.emptyMap(), "event_date");
      eventsTable = table;
    }
    return eventsTable;
  }

  private static JobExecutionResult write(
      String table,
      RowType type,
      GeneratorFunction<Long, RowData> rows,
      long count,
      RateLimiterStrategy rate,
      Map<String, String> options,
      String... partitionColumns)
      throws Exception {
    return write(table, "conformance-" + Path.of(table).getFileName(), type, rows, count, rate, options, partitionColumns);
  }

  /** Runs a bounded Flink job (parallelism 2, checkpoints every 200 ms) that sinks the rows. */
  private static JobExecutionResult write(
      String table,
      String sinkId,
      RowType type,
      GeneratorFunction<Long, RowData> rows,
      long count,
      RateLimiterStrategy rate,
      Map<String, String> options,
      String... partitionColumns)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(200);
    DeltaSink.Builder sink = DeltaSink.forRowData(type).tablePath(table).sinkId(sinkId);
    if (partitionColumns.length > 0) {
      sink.partitionColumns(partitionColumns);
    }
    options.forEach(sink::option);
    env.fromSource(
            new DataGeneratorSource<>(rows, count, rate, InternalTypeInfo.of(type)),
            WatermarkStrategy.noWatermarks(),
            "rows")
        .uid("rows")
        .sinkTo(sink.build())
        .uid("delta-sink"); // required: the sink's commit topology sets uids of its own
    return env.execute("write " + table);
  }

  // ---------------------------------------------------------------------------------------------
  // Row generators: row i is a pure function of i
  // ---------------------------------------------------------------------------------------------

  /** Rows with strings longer than the 32-character statistics prefix. */
  static final class LongStrings {
    static final RowType TYPE =
        RowType.of(
            new LogicalType[] {new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH), new VarCharType(VarCharType.MAX_LENGTH)},
            new String[] {"id", "key", "tail_key"});

    /** Sorts like the id; the characters after the prefix are ASCII letters. */
    static String key(long id) {
      return String.format("event-%012d-", id) + "abcdefghijklmnopqrstuvwxyz";
    }

    /** Differs from every other row's only after a 40-character shared start. */
    static String tailKey(long id) {
      return "https://shop.example.com/catalog/items/" + "?page=" + id;
    }

    static RowData row(long id) {
      return GenericRowData.of(id, StringData.fromString(key(id)), StringData.fromString(tailKey(id)));
    }
  }

  /** The events of tests 1, 2 and 4: ids 0..n-1 spread over {@link #DAYS} days. */
  static final class Events {
    static final long COUNT = 6_000;
    static final int DAYS = 4;
    static final LocalDate FIRST_DAY = LocalDate.of(2024, 6, 26);
    static final Instant FIRST_TS = Instant.parse("2024-06-26T00:00:00Z");
    static final String[] NAMES = {"id", "event_date", "category", "amount", "ts", "quantity"};
    static final RowType TYPE =
        RowType.of(
            new LogicalType[] {
              new BigIntType(false),
              new DateType(),
              new VarCharType(VarCharType.MAX_LENGTH),
              new DecimalType(10, 2),
              new LocalZonedTimestampType(6),
              new IntType()
            },
            NAMES);
    /** Delta's per-file statistics of this table, for Spark's from_json. */
    static final String STATS_DDL =
        "numRecords BIGINT,"
            + " minValues STRUCT<id: BIGINT, event_date: DATE, category: STRING, amount: DECIMAL(10,2), ts: TIMESTAMP, quantity: INT>,"
            + " maxValues STRUCT<id: BIGINT, event_date: DATE, category: STRING, amount: DECIMAL(10,2), ts: TIMESTAMP, quantity: INT>,"
            + " nullCount STRUCT<id: BIGINT, event_date: BIGINT, category: BIGINT, amount: BIGINT, ts: BIGINT, quantity: BIGINT>";

    static LocalDate day(long id) {
      return FIRST_DAY.plusDays(id % DAYS);
    }

    static String category(long id) {
      return id % 13 == 5 ? null : "cat-" + (id % 7);
    }

    /** -1000.00 .. 1000.00. */
    static BigDecimal amount(long id) {
      return BigDecimal.valueOf((id * 7_919) % 200_001 - 100_000, 2);
    }

    /** About one second apart, with sub-millisecond digits. */
    static Instant ts(long id) {
      return FIRST_TS.plus(id * 1_000_003L, ChronoUnit.MICROS);
    }

    static Integer quantity(long id) {
      return id % 17 == 3 ? null : (int) (id % 100) - 20;
    }

    static RowData row(long id) {
      String category = category(id);
      return GenericRowData.of(
          id,
          (int) day(id).toEpochDay(),
          category == null ? null : StringData.fromString(category),
          DecimalData.fromBigDecimal(amount(id), 10, 2),
          TimestampData.fromInstant(ts(id)),
          quantity(id));
    }

    /** What Spark returns for row {@code id}. */
    static Map<String, Object> expected(long id) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("event_date", day(id));
      m.put("category", category(id));
      m.put("amount", amount(id));
      m.put("ts", ts(id));
      m.put("quantity", quantity(id));
      return m;
    }
  }

  /**
   * One column of every type the sink supports, with extremes, nulls and empty collections.
   * Decimals keep at most 15 significant digits here (still covering INT32, INT64 and 16-byte
   * FIXED_LEN_BYTE_ARRAY storage, negative values and 1E27 magnitudes): decimals with more
   * digits are the subject of {@link Decimals} and {@code fullPrecisionDecimalsKeepExactStatistics}.
   */
  static final class AllTypes {
    static final int COUNT = 64;
    /**
     * Partition values (and null): none needs escaping in a directory name or a URI; those that
     * do are the subject of {@link Tagged}.
     */
    static final String[] TAGS = {"plain", "ünïcødé", "dash-dot.under_score"};

    static final String[] NAMES = {
      "id", "tag", "bool", "i8", "i16", "i32", "i64", "f32", "f64", "dec5_2", "dec18_4", "dec38_10",
      "str", "vc16", "bin", "dt", "ts_ltz", "ts_ntz", "ts_ltz9", "rec", "arr_str", "arr_rec",
      "map_str_long", "arr_arr_int"
    };
    /** Top-level columns with min/max statistics (everything but boolean, binary and nested). */
    static final String[] STATS_COLUMNS = {
      "i8", "i16", "i32", "i64", "f32", "f64", "dec5_2", "dec18_4", "dec38_10", "str", "vc16", "dt",
      "ts_ltz", "ts_ntz", "ts_ltz9"
    };
    static final RowType REC = RowType.of(new LogicalType[] {new IntType(), new VarCharType(VarCharType.MAX_LENGTH)}, new String[] {"a", "b"});
    static final RowType XY = RowType.of(new LogicalType[] {new BigIntType(), new DoubleType()}, new String[] {"x", "y"});
    static final RowType TYPE =
        RowType.of(
            new LogicalType[] {
              new BigIntType(false),
              new VarCharType(VarCharType.MAX_LENGTH),
              new BooleanType(),
              new TinyIntType(),
              new SmallIntType(),
              new IntType(),
              new BigIntType(),
              new FloatType(),
              new DoubleType(),
              new DecimalType(5, 2),
              new DecimalType(18, 4),
              new DecimalType(38, 10),
              new VarCharType(VarCharType.MAX_LENGTH),
              new VarCharType(16),
              new VarBinaryType(VarBinaryType.MAX_LENGTH),
              new DateType(),
              new LocalZonedTimestampType(6),
              new TimestampType(6),
              new LocalZonedTimestampType(9),
              REC,
              new ArrayType(new VarCharType(VarCharType.MAX_LENGTH)),
              new ArrayType(XY),
              new MapType(new VarCharType(VarCharType.MAX_LENGTH), new BigIntType()),
              new ArrayType(new ArrayType(new IntType()))
            },
            NAMES);

    static int index(String name) {
      return Arrays.asList(NAMES).indexOf(name);
    }

    /** Row {@code i} as plain Java values, in column order. */
    static Object[] values(long i) {
      String tag = i % 11 == 6 ? null : TAGS[(int) (i % TAGS.length)];
      switch ((int) i) {
        case 0: // every nullable column null
          {
            Object[] v = new Object[NAMES.length];
            v[0] = i;
            v[1] = tag;
            return v;
          }
        case 1: // minimums and empties
          return new Object[] {
            i, tag, false, Byte.MIN_VALUE, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE,
            Float.NEGATIVE_INFINITY, -Double.MAX_VALUE,
            new BigDecimal("-999.99"), new BigDecimal("-99999999999.9999"),
            new BigDecimal("-1E+27").setScale(10),
            "", "", new byte[0],
            LocalDate.of(1, 1, 1),
            Instant.parse("0001-01-01T00:00:00Z"),
            LocalDateTime.of(1, 1, 1, 0, 0),
            Instant.parse("1582-10-04T23:59:59.999999999Z"),
            rec(Integer.MIN_VALUE, ""), List.of(), List.of(), Map.of(), List.of()
          };
        case 2: // maximums, NaN, unicode, nulls inside collections
          return new Object[] {
            i, tag, true, Byte.MAX_VALUE, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE,
            Float.NaN, Double.POSITIVE_INFINITY,
            new BigDecimal("999.99"), new BigDecimal("99999999999.9999"),
            new BigDecimal("99999.9999999999"),
            "héllo wörld ✓ 😀 中文 \u0000 tab\t newline\n", "abcdefghijklmnop",
            new byte[] {0, (byte) 0xFF, (byte) 0x80, 0x7F},
            LocalDate.of(9999, 12, 31),
            Instant.parse("9999-12-31T23:59:59.999999Z"),
            LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            rec(Integer.MAX_VALUE, "😀"),
            Arrays.asList(null, "", "z"),
            Arrays.asList(null, xy(null, null), xy(Long.MAX_VALUE, -0.0)),
            map("", 0L, "null-value", null, "max", Long.MAX_VALUE),
            Arrays.asList(null, List.of(), Arrays.asList((Integer) null), List.of(Integer.MIN_VALUE, Integer.MAX_VALUE))
          };
        case 3: // around zero and the epoch
          return new Object[] {
            i, tag, false, (byte) 0, (short) -1, 0, -1L, -0.0f, Double.MIN_VALUE,
            new BigDecimal("-0.01"), new BigDecimal("0.0000"), new BigDecimal("-0.0000000001"),
            " ", null, new byte[] {0},
            LocalDate.of(1969, 12, 31),
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            LocalDateTime.of(1970, 1, 1, 0, 0),
            Instant.parse("1969-12-31T23:59:59.999999999Z"),
            rec(0, null), List.of(""), List.of(xy(0L, 0.0)), map("zero", 0L), List.of(List.of(0))
          };
        default:
          return regular(i, tag);
      }
    }

    private static Object[] regular(long i, String tag) {
      long sign = i % 2 == 0 ? 1 : -1;
      Object[] v =
          new Object[] {
            i,
            tag,
            i % 3 == 0,
            (byte) (i * 37),
            (short) (i * 1_234 - 30_000),
            (int) (i * 987_654_321L),
            sign * i * 1_234_567_890_123L,
            (float) (i * 1.5 - 40.25),
            i * -3.14159e10 / 7,
            BigDecimal.valueOf((i * 1_337) % 199_999 - 99_999, 2),
            BigDecimal.valueOf(sign * i * 123_456_789_012L, 4),
            i % 3 == 0
                ? BigDecimal.valueOf(sign * i, -24).setScale(10)
                : BigDecimal.valueOf(sign * i * 987_654_321_123L, 10),
            "row-" + i + " " + "x".repeat((int) (i % 40)) + " ✓😀",
            "v" + i,
            new byte[] {(byte) i, (byte) (i * 7), 0, (byte) 0xFF},
            LocalDate.of(1950, 1, 1).plusDays(i * 397),
            Instant.parse("1999-12-31T23:00:00Z").plusNanos(i * 3_600_000_123_000L),
            LocalDateTime.of(2024, 3, 10, 2, 30, 0, 123_456_000).plusHours(i * 5),
            Instant.parse("2024-01-01T00:00:00Z").plusNanos(i * 1_000_000_007L + 999),
            rec((int) i * -3, i % 3 == 0 ? null : "b" + i),
            i % 4 == 0 ? List.of() : Arrays.asList("x" + i, i % 3 == 0 ? null : "y", ""),
            i % 5 == 0 ? List.of() : Arrays.asList(xy(i, i / 2.0), i % 2 == 0 ? null : xy(null, Double.NaN)),
            i % 6 == 0 ? Map.of() : map("k" + i, i, "n", null, "big", Long.MAX_VALUE - i),
            i % 4 == 1 ? List.of(List.of()) : Arrays.asList(List.of(1, 2, (int) i), List.of(), null, Arrays.asList(null, (int) -i))
          };
      // Nulls spread over rows and columns.
      for (int c = 2; c < v.length; c++) {
        if ((i + c) % 7 == 0) {
          v[c] = null;
        }
      }
      return v;
    }

    private static Map<String, Object> rec(Integer a, String b) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("a", a);
      m.put("b", b);
      return m;
    }

    private static Map<String, Object> xy(Long x, Double y) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("x", x);
      m.put("y", y);
      return m;
    }

    private static Map<String, Long> map(Object... kv) {
      Map<String, Long> m = new LinkedHashMap<>();
      for (int k = 0; k < kv.length; k += 2) {
        m.put((String) kv[k], (Long) kv[k + 1]);
      }
      return m;
    }

    /** Row {@code i} as Flink internal data. */
    static RowData row(long i) {
      Object[] v = values(i);
      GenericRowData row = new GenericRowData(v.length);
      for (int c = 0; c < v.length; c++) {
        row.setField(c, toFlink(v[c], TYPE.getTypeAt(c)));
      }
      return row;
    }

    @SuppressWarnings("unchecked")
    private static Object toFlink(Object v, LogicalType type) {
      if (v == null) {
        return null;
      }
      switch (type.getTypeRoot()) {
        case VARCHAR:
          return StringData.fromString((String) v);
        case DECIMAL:
          {
            DecimalType d = (DecimalType) type;
            return DecimalData.fromBigDecimal((BigDecimal) v, d.getPrecision(), d.getScale());
          }
        case DATE:
          return (int) ((LocalDate) v).toEpochDay();
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
          return TimestampData.fromInstant((Instant) v);
        case TIMESTAMP_WITHOUT_TIME_ZONE:
          return TimestampData.fromLocalDateTime((LocalDateTime) v);
        case ROW:
          {
            RowType rt = (RowType) type;
            Map<String, Object> m = (Map<String, Object>) v;
            GenericRowData r = new GenericRowData(rt.getFieldCount());
            for (int f = 0; f < rt.getFieldCount(); f++) {
              r.setField(f, toFlink(m.get(rt.getFieldNames().get(f)), rt.getTypeAt(f)));
            }
            return r;
          }
        case ARRAY:
          {
            LogicalType element = ((ArrayType) type).getElementType();
            return new GenericArrayData(((List<Object>) v).stream().map(e -> toFlink(e, element)).toArray());
          }
        case MAP:
          {
            MapType mt = (MapType) type;
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<Object, Object>) v).forEach((k, x) -> out.put(toFlink(k, mt.getKeyType()), toFlink(x, mt.getValueType())));
            return new GenericMapData(out);
          }
        default:
          return v; // Boolean, Byte, Short, Integer, Long, Float, Double, byte[]
      }
    }

    /**
     * What Spark returns for column {@code c} of row {@code i}: TIMESTAMP(6) is the wall clock
     * taken as UTC and TIMESTAMP_LTZ(9) is truncated to microseconds.
     */
    static Object sparkValue(long i, int c) {
      Object v = values(i)[c];
      if (v == null) {
        return null;
      }
      switch (NAMES[c]) {
        case "ts_ntz":
          return ((LocalDateTime) v).toInstant(ZoneOffset.UTC);
        case "ts_ltz9":
          return ((Instant) v).truncatedTo(ChronoUnit.MICROS);
        default:
          return v;
      }
    }

    static Map<String, Object> expected(long i) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int c = 0; c < NAMES.length; c++) {
        m.put(NAMES[c], sparkValue(i, c));
      }
      return m;
    }
  }

  /** Decimals beyond 15 significant digits, per row {@code {DECIMAL(18,4), DECIMAL(38,10)}}. */
  static final class Decimals {
    static final RowType TYPE =
        RowType.of(
            new LogicalType[] {new BigIntType(false), new DecimalType(18, 4), new DecimalType(38, 10)},
            new String[] {"id", "d18", "d38"});
    static final String STATS_DDL =
        "numRecords BIGINT, minValues STRUCT<d18: DECIMAL(18,4), d38: DECIMAL(38,10)>,"
            + " maxValues STRUCT<d18: DECIMAL(18,4), d38: DECIMAL(38,10)>";
    /** 18 and 38 significant digits; each file's bounds fit their types even after rounding. */
    static final BigDecimal[][] PRECISE = {
      {new BigDecimal("12345678901234.5678"), new BigDecimal("1234567890123456789012345678.0123456789")},
      {new BigDecimal("12345678901234.5682"), new BigDecimal("1234567890123456789012345678.9876543210")},
      {new BigDecimal("12345678901234.5679"), new BigDecimal("-1234567890123456789012345678.0123456789")},
      {new BigDecimal("99999999999.9999"), new BigDecimal("0.0000000001")},
    };
    /** The largest and smallest value of each type. */
    static final BigDecimal[][] EXTREME = {
      {new BigDecimal("99999999999999.9999"), new BigDecimal("9999999999999999999999999999.9999999999")},
      {new BigDecimal("-99999999999999.9999"), new BigDecimal("-9999999999999999999999999999.9999999999")},
    };

    static RowData precise(long id) {
      return row(PRECISE, id);
    }

    static RowData extreme(long id) {
      return row(EXTREME, id);
    }

    private static RowData row(BigDecimal[][] values, long id) {
      BigDecimal[] v = values[(int) id];
      return GenericRowData.of(id, DecimalData.fromBigDecimal(v[0], 18, 4), DecimalData.fromBigDecimal(v[1], 38, 10));
    }

    static Map<String, Object> expected(BigDecimal[][] values, long id) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("d18", values[(int) id][0]);
      m.put("d38", values[(int) id][1]);
      return m;
    }
  }

  /** Rows partitioned by STRING values that need escaping in paths. */
  static final class Tagged {
    static final String[] TAGS = {"plain", "with space", "a/b", "k=v:w", "100%", "semi;colon#hash", "ünï©ødé 😀", "", null};
    static final int COUNT = 90;
    static final RowType TYPE =
        RowType.of(
            new LogicalType[] {
              new BigIntType(false), new VarCharType(VarCharType.MAX_LENGTH), new VarCharType(VarCharType.MAX_LENGTH)
            },
            new String[] {"id", "tag", "payload"});

    static String tag(long id) {
      return TAGS[(int) (id % TAGS.length)];
    }

    /**
     * The partition value Spark returns: the value written, the empty string included. (Spark,
     * like Delta Kernel, reads {@code "tag":""} in {@code add.partitionValues} as ''. The Delta
     * protocol says an empty partition value means null, and Spark's own writer stores '' as
     * null; should the sink do the same, this expectation becomes null for ''.)
     */
    /** The sink stores an empty partition value as null, as Spark does. */
    static String expectedTag(long id) {
      String tag = tag(id);
      return tag == null || tag.isEmpty() ? null : tag;
    }

    static RowData row(long id) {
      String tag = tag(id);
      return GenericRowData.of(id, tag == null ? null : StringData.fromString(tag), StringData.fromString("payload-" + id));
    }

    static Map<String, Object> expected(long id) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("tag", expectedTag(id));
      m.put("payload", "payload-" + id);
      return m;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading helpers
  // ---------------------------------------------------------------------------------------------

  /** Spark's latest snapshot of the table, by Spark's own log replay. */
  private static Snapshot snapshot(String table) {
    DeltaLog log = DeltaLog.forTable(spark, table);
    return log.update(log.update$default$1(), log.update$default$2(), log.update$default$3());
  }

  /** The one file scan of an executed query. */
  private static SparkPlan fileScan(Dataset<Row> executed) {
    SparkPlan plan = executed.queryExecution().executedPlan();
    List<SparkPlan> scans = new ArrayList<>();
    for (SparkPlan leaf : CollectionConverters.asJava(plan.collectLeaves())) {
      if (leaf.metrics().contains("numFiles")) {
        scans.add(leaf);
      }
    }
    assertThat(scans).as("file scans in%n%s", plan).hasSize(1);
    return scans.get(0);
  }

  private static long metric(SparkPlan node, String name) {
    return node.metrics().apply(name).value();
  }

  private static List<String> typeNames(org.apache.spark.sql.types.StructType schema) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(f.dataType().catalogString());
    }
    return out;
  }

  private static Set<Long> ids(Dataset<Row> df) {
    return df.select("id").collectAsList().stream().map(r -> r.getLong(0)).collect(Collectors.toCollection(TreeSet::new));
  }

  /** What Spark read from each data file, by file name. */
  private static final class FileFacts {
    long rows;
    long minId;
    long maxId;
    LocalDate minDay;
    LocalDate maxDay;
    String minCategory;
    String maxCategory;
    BigDecimal minAmount;
    BigDecimal maxAmount;
    Instant minTs;
    Instant maxTs;
    Integer minQuantity;
    Integer maxQuantity;
    long nullCategories;
    long nullQuantities;
  }

  private static Map<String, FileFacts> fileFacts(Dataset<Row> events) {
    Column c = functions.col("category");
    Column q = functions.col("quantity");
    List<Row> rows =
        events
            .groupBy(functions.input_file_name().as("file"))
            .agg(
                functions.count(functions.lit(1)),
                functions.min("id"), functions.max("id"),
                functions.min("event_date"), functions.max("event_date"),
                functions.min(c), functions.max(c),
                functions.min("amount"), functions.max("amount"),
                functions.min("ts"), functions.max("ts"),
                functions.min(q), functions.max(q),
                functions.count(functions.lit(1)).minus(functions.count(c)),
                functions.count(functions.lit(1)).minus(functions.count(q)))
            .collectAsList();
    Map<String, FileFacts> out = new TreeMap<>();
    for (Row r : rows) {
      FileFacts f = new FileFacts();
      f.rows = r.getLong(1);
      f.minId = r.getLong(2);
      f.maxId = r.getLong(3);
      f.minDay = r.getAs(4);
      f.maxDay = r.getAs(5);
      f.minCategory = r.getAs(6);
      f.maxCategory = r.getAs(7);
      f.minAmount = r.getAs(8);
      f.maxAmount = r.getAs(9);
      f.minTs = r.getAs(10);
      f.maxTs = r.getAs(11);
      f.minQuantity = r.getAs(12);
      f.maxQuantity = r.getAs(13);
      f.nullCategories = r.getLong(14);
      f.nullQuantities = r.getLong(15);
      out.put(fileName(r.getString(0)), f);
    }
    return out;
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static void checkStat(List<String> mismatches, String file, String stat, Object fromRows, Object fromLog) {
    if (!Objects.equals(fromRows, fromLog)) {
      mismatches.add("checkpointed " + file + " " + stat + ": rows say " + fromRows + ", log says " + fromLog);
    }
  }

  private static void checkDecimalStat(List<String> mismatches, String file, String stat, BigDecimal fromRows, BigDecimal fromLog) {
    if (fromRows == null ? fromLog != null : fromLog == null || fromRows.compareTo(fromLog) != 0) {
      mismatches.add("checkpointed " + file + " " + stat + ": rows say " + fromRows + ", log says " + fromLog);
    }
  }

  /** Compares a Spark row with the expected values, column by column. */
  /**
   * Compares every row of {@code df} (keyed by its first column, a BIGINT id) with the expected
   * values of ids {@code 0..count-1}, noting duplicates, missing ids and differing fields.
   */
  private static void compareAll(
      String table, Dataset<Row> df, long count, java.util.function.LongFunction<Map<String, Object>> expected, List<String> mismatches) {
    Map<Long, Row> byId = new HashMap<>();
    for (Row r : df.collectAsList()) {
      if (byId.put(r.getLong(0), r) != null) {
        mismatches.add(table + " id=" + r.getLong(0) + ": read more than once");
      }
    }
    for (long id = 0; id < count; id++) {
      Row r = byId.get(id);
      if (r == null) {
        mismatches.add(table + " id=" + id + ": written, not read");
      } else {
        compareRow(table, id, r, expected.apply(id), mismatches);
      }
    }
  }

  private static void compareRow(String table, long id, Row actual, Map<String, Object> expected, List<String> mismatches) {
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      Object want = normalize(e.getValue());
      Object got = normalize(actual.get(actual.fieldIndex(e.getKey())));
      if (!Objects.equals(want, got)) {
        mismatches.add(table + " id=" + id + " column " + e.getKey() + ": written " + want + ", read " + got);
      }
    }
  }

  /**
   * Spark and expected values in one comparable form: structs as maps by field name, arrays as
   * lists, maps as maps, binaries as hex. Floating point stays boxed (NaN equals NaN, -0.0 differs
   * from 0.0) and decimals keep their scale, so the comparison is exact.
   */
  private static Object normalize(Object v) {
    if (v instanceof byte[]) {
      return "0x" + HexFormat.of().formatHex((byte[]) v);
    }
    if (v instanceof Row) {
      Row r = (Row) v;
      String[] names = r.schema().fieldNames();
      Map<String, Object> m = new LinkedHashMap<>();
      for (int f = 0; f < names.length; f++) {
        m.put(names[f], normalize(r.get(f)));
      }
      return m;
    }
    if (v instanceof scala.collection.Map) {
      return normalize(CollectionConverters.asJava((scala.collection.Map<?, ?>) v));
    }
    if (v instanceof scala.collection.Seq) {
      return normalize(CollectionConverters.asJava((scala.collection.Seq<?>) v));
    }
    if (v instanceof Map) {
      Map<Object, Object> m = new LinkedHashMap<>();
      ((Map<?, ?>) v).forEach((k, x) -> m.put(normalize(k), normalize(x)));
      return m;
    }
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object x : (List<?>) v) {
        l.add(normalize(x));
      }
      return l;
    }
    return v;
  }

  /** SQL equality: numbers by value (NaN = NaN and -0.0 = 0.0 in Spark), the rest by equals. */
  private static boolean sqlEquals(Object a, Object b) {
    if (a instanceof Float || a instanceof Double) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return x == y || (Double.isNaN(x) && Double.isNaN(y));
    }
    if (a instanceof BigDecimal) {
      return ((BigDecimal) a).compareTo((BigDecimal) b) == 0;
    }
    return a.equals(b);
  }

  private static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
  }

  private static void assertNoMismatches(List<String> mismatches) {
    if (!mismatches.isEmpty()) {
      fail(
          "Spark does not read what the sink wrote (" + mismatches.size() + " findings"
              + (mismatches.size() > 40 ? ", first 40" : "") + "):" + System.lineSeparator()
              + String.join(System.lineSeparator(), mismatches.subList(0, Math.min(40, mismatches.size()))));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // File helpers
  // ---------------------------------------------------------------------------------------------

  private static List<Long> versions(Path log, String regex) throws IOException {
    Pattern p = Pattern.compile(regex);
    try (Stream<Path> files = Files.list(log)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> p.matcher(n).matches())
          .map(n -> Long.parseLong(n.substring(0, 20)))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static long maxVersion(Path log, String regex) throws IOException {
    List<Long> v = versions(log, regex);
    assertThat(v).as("files %s in %s", regex, log).isNotEmpty();
    return v.get(v.size() - 1);
  }

  /** Bytes of the table's Parquet data files (not Hadoop's .crc side files, not the log). */
  private static long dataFileBytes(Path table) throws IOException {
    try (Stream<Path> files = Files.walk(table)) {
      return files
          .filter(f -> !f.startsWith(table.resolve("_delta_log")))
          .filter(f -> f.getFileName().toString().endsWith(".parquet") && !f.getFileName().toString().startsWith("."))
          .mapToLong(f -> {
            try {
              return Files.size(f);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .sum();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
