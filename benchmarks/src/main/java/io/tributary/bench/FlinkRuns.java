package io.tributary.bench;

import io.tributary.delta.DeltaSink;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.row.ParquetRowDataBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

/**
 * The two Flink jobs, on one local {@link MiniCluster} started once (its start-up is not timed):
 * the same generator source and parallelism, checkpointing at the same interval, then either the
 * Delta sink or Flink's {@link FileSink} with its Parquet bulk format.
 *
 * <p>A bounded job only finishes after one more checkpoint once its input ends. With a 10 s
 * interval that wait would add up to 10 s of idle time, which a never-ending production stream
 * does not have; so by default the driver triggers that last checkpoint as soon as every row has
 * been generated ({@code --final-checkpoint immediate}). The periodic checkpoints during the run
 * are unchanged.
 */
final class FlinkRuns {
  private final MiniClusterJobs cluster;
  private final int parallelism;
  private final Duration checkpointInterval;
  private final boolean objectReuse;
  private final boolean immediateFinalCheckpoint;

  FlinkRuns(int parallelism, Duration checkpointInterval, boolean objectReuse, boolean immediateFinalCheckpoint)
      throws Exception {
    this.parallelism = parallelism;
    this.checkpointInterval = checkpointInterval;
    this.objectReuse = objectReuse;
    this.immediateFinalCheckpoint = immediateFinalCheckpoint;
    this.cluster = new MiniClusterJobs(parallelism, new Configuration());
  }

  /** Tributary's Delta sink into a new table at {@code tablePath} (created before timing). */
  MiniClusterJobs.JobRun delta(String tablePath, long rows, int days) throws Exception {
    String run = "delta-" + UUID.randomUUID();
    StreamExecutionEnvironment env = env();
    DeltaSink sink =
        DeltaSink.forRowData(EventRows.ROW_TYPE)
            .tablePath(tablePath)
            .partitionColumns(EventRows.PARTITION_COLUMN)
            .sinkId("tributary-bench")
            // The sink alone, comparable with the raw writer and earlier runs (see MaintenanceBenchmark).
            .option(io.tributary.delta.DeltaSinkOptions.MAINTENANCE_ENABLED.key(), "false")
            .build();
    source(env, rows, days, run).sinkTo(sink).name("delta-sink").uid("delta-sink");
    return execute(env, "bench delta sink", run, rows);
  }

  /**
   * Flink's FileSink, Parquet bulk format from flink-parquet, the same partition layout
   * ({@code event_date=...} buckets, the column left out of the files), codec, row group and page
   * size as the Delta sink's defaults, rolling on every checkpoint.
   */
  MiniClusterJobs.JobRun fileSink(java.nio.file.Path dir, long rows, int days) throws Exception {
    String run = "filesink-" + UUID.randomUUID();
    StreamExecutionEnvironment env = env();
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    hadoop.set("parquet.compression", "SNAPPY");
    hadoop.setLong("parquet.block.size", io.tributary.delta.DeltaSinkOptions.ROW_GROUP_SIZE.defaultValue().getBytes());
    hadoop.setLong("parquet.page.size", io.tributary.delta.DeltaSinkOptions.PAGE_SIZE.defaultValue().getBytes());
    hadoop.setBoolean("parquet.enable.dictionary", true);
    BulkWriter.Factory<RowData> parquet =
        new ProjectingWriterFactory(
            ParquetRowDataBuilder.createWriterFactory(EventRows.DATA_ROW_TYPE, hadoop, true),
            EventRows.DATA_FIELDS);
    FileSink<RowData> sink =
        FileSink.forBulkFormat(new org.apache.flink.core.fs.Path(dir.toUri()), parquet)
            .withBucketAssigner(new DateBuckets(days))
            .withRollingPolicy(OnCheckpointRollingPolicy.build())
            .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
            .build();
    source(env, rows, days, run).sinkTo(sink).name("file-sink").uid("file-sink");
    return execute(env, "bench file sink", run, rows);
  }

  /**
   * The same job with a sink that drops every row: what the source, chaining and checkpointing
   * cost without writing anything (a floor for the two Flink writers, not a writer).
   */
  MiniClusterJobs.JobRun discard(long rows, int days) throws Exception {
    String run = "noop-" + UUID.randomUUID();
    StreamExecutionEnvironment env = env();
    source(env, rows, days, run).sinkTo(new DiscardingSink<>()).name("discard").uid("discard");
    return execute(env, "bench discarding sink", run, rows);
  }

  private StreamExecutionEnvironment env() {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.OBJECT_REUSE, objectReuse);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(checkpointInterval.toMillis());
    return env;
  }

  private static DataStream<RowData> source(StreamExecutionEnvironment env, long rows, int days, String run) {
    DataGeneratorSource<RowData> source =
        new DataGeneratorSource<>(new EventRows.Generator(days, run), rows, InternalTypeInfo.of(EventRows.ROW_TYPE));
    return env.fromSource(source, WatermarkStrategy.noWatermarks(), "events").uid("events");
  }

  private MiniClusterJobs.JobRun execute(StreamExecutionEnvironment env, String name, String run, long rows) throws Exception {
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    try {
      return cluster.run(graph.getJobGraph(), () -> EventRows.Progress.generated(run), rows, immediateFinalCheckpoint);
    } finally {
      EventRows.Progress.forget(run);
    }
  }

  /** Stops the MiniCluster. */
  void shutdown() throws Exception {
    cluster.close();
  }

  /** Buckets by {@code event_date} like the Delta sink's partition directories. */
  static final class DateBuckets implements BucketAssigner<RowData, String> {
    private static final long serialVersionUID = 1L;
    private final String[] names;

    DateBuckets(int days) {
      names = new String[days];
      for (int d = 0; d < days; d++) {
        names[d] = name(EventRows.FIRST_DAY + d);
      }
    }

    private static String name(int epochDay) {
      return EventRows.PARTITION_COLUMN + "=" + LocalDate.ofEpochDay(epochDay);
    }

    @Override
    public String getBucketId(RowData row, Context context) {
      int day = row.getInt(1);
      int d = day - EventRows.FIRST_DAY;
      return d >= 0 && d < names.length ? names[d] : name(day);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
      return SimpleVersionedStringSerializer.INSTANCE;
    }
  }

  /** Writes only the data columns (a no-copy projection), as the Delta sink does. */
  static final class ProjectingWriterFactory implements BulkWriter.Factory<RowData> {
    private static final long serialVersionUID = 1L;
    private final BulkWriter.Factory<RowData> inner;
    private final int[] fields;

    ProjectingWriterFactory(BulkWriter.Factory<RowData> inner, int[] fields) {
      this.inner = inner;
      this.fields = fields.clone();
    }

    @Override
    public BulkWriter<RowData> create(FSDataOutputStream out) throws IOException {
      BulkWriter<RowData> writer = inner.create(out);
      ProjectedRowData projected = ProjectedRowData.from(fields);
      return new BulkWriter<RowData>() {
        @Override
        public void addElement(RowData element) throws IOException {
          writer.addElement(projected.replaceRow(element));
        }

        @Override
        public void flush() throws IOException {
          writer.flush();
        }

        @Override
        public void finish() throws IOException {
          writer.finish();
        }
      };
    }
  }
}
