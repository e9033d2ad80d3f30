package io.tributary.delta;

import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.tributary.delta.runtime.ScopedFileSystems;
import io.tributary.delta.runtime.UserCodeResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

/**
 * Exactly-once Flink sink into a Delta Lake table, on Delta Kernel.
 *
 * <p>Topology: parallel {@link DeltaWriter}s write Parquet files and close them on every
 * checkpoint; a single {@link DeltaCommitAggregator} turns one checkpoint's files into one {@link
 * DeltaCommittable}; the {@link DeltaCommitter} commits it to the Delta log after the checkpoint
 * completes, idempotently by the Delta transaction identifier {@code (sink id + run id,
 * checkpoint id)} (see {@link DeltaCommittable}), through the table's log owner {@link
 * io.tributary.delta.log.DeltaLog}. Requires checkpointing; data becomes visible at each completed checkpoint.
 *
 * <pre>{@code
 * DeltaSink sink = DeltaSink.forRowData(rowType)
 *     .tablePath("s3a://lake/silver/atomic_events")
 *     .partitionColumns("event_date")
 *     .sinkId("events-job.atomic_events")
 *     .build();
 * stream.sinkTo(sink).uid("atomic-events-delta-sink");
 * }</pre>
 */
public final class DeltaSink
    implements Sink<RowData>,
        org.apache.flink.api.connector.sink2.SupportsWriterState<RowData, String>,
        SupportsCommitter<DeltaCommittable>,
        SupportsPreCommitTopology<DeltaWriteResult, DeltaCommittable> {
  private static final long serialVersionUID = 1L;

  private final DeltaSinkConfig config;
  private final RowType rowType;
  private final int[] dataFieldIndexes;

  private DeltaSink(DeltaSinkConfig config, RowType rowType) {
    this.config = config;
    this.rowType = rowType;
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < rowType.getFieldCount(); i++) {
      if (!config.partitionColumns().contains(rowType.getFieldNames().get(i))) {
        indexes.add(i);
      }
    }
    this.dataFieldIndexes = indexes.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Delta schema of the columns stored in data files (Kernel types are not serializable). */
  private StructType dataSchema() {
    StructType schema = DeltaTypes.toDeltaSchema(rowType);
    List<StructField> fields = new ArrayList<>();
    for (int i : dataFieldIndexes) {
      fields.add(schema.at(i));
    }
    return new StructType(fields);
  }

  /** Starts a sink for rows of this type; see {@link Builder}. */
  public static Builder forRowData(RowType rowType) {
    return new Builder(rowType);
  }

  public DeltaSinkConfig config() {
    return config;
  }

  RowType rowType() {
    return rowType;
  }

  /**
   * The same sink for a wider row type, without touching the table: the committer adds the
   * columns the files need (see {@link EvolvingDeltaSink}).
   */
  DeltaSink withRowType(RowType wider) {
    return new DeltaSink(config, wider);
  }

  /** @deprecated Flink 1.20 calls {@link #createWriter(WriterInitContext)}. */
  @Deprecated
  public SinkWriter<RowData> createWriter(InitContext context) {
    throw new UnsupportedOperationException("Use createWriter(WriterInitContext)");
  }

  @Override
  public DeltaWriter createWriter(WriterInitContext context) throws IOException {
    return newWriter(context, RunLineage.start(context.getTaskInfo().getIndexOfThisSubtask()));
  }

  @Override
  public DeltaWriter restoreWriter(WriterInitContext context, java.util.Collection<String> recoveredState)
      throws IOException {
    int subtask = context.getTaskInfo().getIndexOfThisSubtask();
    return newWriter(context, RunLineage.restore(config, subtask, context.getRestoredCheckpointId(), recoveredState));
  }

  @Override
  public SimpleVersionedSerializer<String> getWriterStateSerializer() {
    return new RunLineage.Serializer();
  }

  /** A writer that neither keeps nor tags the run lineage (its owner does): see {@link EvolvingDeltaSink}. */
  DeltaWriter createDelegateWriter(WriterInitContext context) throws IOException {
    return newWriter(context, RunLineage.NONE);
  }

  private DeltaWriter newWriter(WriterInitContext context, RunLineage lineage) throws IOException {
    // Hadoop's threads, hooks and caches must not outlive the job's class loader.
    UserCodeResources.releaseWith(context.getUserCodeClassLoader());
    return new DeltaWriter(
        config,
        rowType,
        dataSchema(),
        dataFieldIndexes,
        context.getTaskInfo().getIndexOfThisSubtask(),
        context.metricGroup(),
        lineage);
  }

  @Override
  public Committer<DeltaCommittable> createCommitter(CommitterInitContext context) {
    return new DeltaCommitter(config, context.metricGroup(), context.getRestoredCheckpointId());
  }

  @Override
  public SimpleVersionedSerializer<DeltaCommittable> getCommittableSerializer() {
    return new DeltaCommittable.Serializer();
  }

  @Override
  public SimpleVersionedSerializer<DeltaWriteResult> getWriteResultSerializer() {
    return new DeltaWriteResult.Serializer();
  }

  @Override
  public DataStream<CommittableMessage<DeltaCommittable>> addPreCommitTopology(
      DataStream<CommittableMessage<DeltaWriteResult>> writeResults) {
    return writeResults
        .global()
        .transform(
            "Delta commit aggregator",
            CommittableMessageTypeInfo.of(DeltaCommittable.Serializer::new),
            new DeltaCommitAggregator(config.sinkId()))
        // No uid: the aggregator keeps no state, and a uid here would oblige every user to set
        // one on sinkTo(...) (Flink requires it once a sink's own topology sets any uid).
        .setParallelism(1)
        .setMaxParallelism(1)
        // Every committable goes to committer subtask 0: one committer commits.
        .global();
  }

  /** Collects options; {@link #build()} validates them and prepares the table. */
  public static final class Builder {
    private final RowType rowType;
    private final Map<String, String> options = new HashMap<>();

    private Builder(RowType rowType) {
      this.rowType = Objects.requireNonNull(rowType, "rowType");
    }

    public Builder tablePath(String path) {
      return option(DeltaSinkOptions.TABLE_PATH.key(), path);
    }

    public Builder sinkId(String sinkId) {
      return option(DeltaSinkOptions.SINK_ID.key(), sinkId);
    }

    public Builder partitionColumns(String... columns) {
      return option(DeltaSinkOptions.PARTITION_COLUMNS.key(), String.join(";", columns));
    }

    /** Sets one option of {@link DeltaSinkOptions}, a {@code hadoop.*} or a {@code table.property.*} key. */
    public Builder option(String key, String value) {
      options.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    public Builder options(Map<String, String> values) {
      values.forEach(this::option);
      return this;
    }

    /**
     * Takes every option of a validated configuration (e.g. a job's sink options for one table,
     * see {@link DeltaSinkConfig#with}); setters called after it override single options.
     */
    public Builder config(DeltaSinkConfig config) {
      return options(config.options());
    }

    /** Partition columns (as {@link #partitionColumns(String...)}). */
    public Builder partitionColumns(List<String> columns) {
      return partitionColumns(columns.toArray(new String[0]));
    }

    /** Sets a Hadoop configuration entry, e.g. {@code fs.s3a.endpoint}. */
    public Builder hadoopOption(String key, String value) {
      return option(DeltaSinkOptions.HADOOP_PREFIX + key, value);
    }

    /**
     * Validates the options and the row type, then creates the table if it is absent or checks
     * (and with schema evolution, extends) an existing one.
     *
     * @throws org.apache.flink.configuration.IllegalConfigurationException for a bad option
     * @throws DeltaTypes.UnsupportedTypeException for a column type Delta cannot hold
     * @throws IllegalStateException when an existing table cannot take these rows
     */
    public DeltaSink build() {
      DeltaSinkConfig config = DeltaSinkConfig.fromMap(options);
      StructType schema = DeltaTypes.toDeltaSchema(rowType);
      validatePartitions(config, schema);
      // Usually runs in main(), which gets no release hook: close the file systems it opens.
      ScopedFileSystems.run(() -> DeltaTables.ensureTable(DeltaTables.engine(config), config, schema));
      return new DeltaSink(config, rowType);
    }

    private void validatePartitions(DeltaSinkConfig config, StructType schema) {
      List<String> names = rowType.getFieldNames();
      for (String p : config.partitionColumns()) {
        if (!names.contains(p)) {
          throw new IllegalArgumentException(
              "Partition column '" + p + "' is not a column of the rows " + names);
        }
        StructField f = schema.get(p);
        if (!DeltaTypes.isPartitionable(f.getDataType())) {
          throw new IllegalArgumentException(
              "Partition column '" + p + "' has type " + f.getDataType()
                  + "; partition by a STRING, DATE, integer or BOOLEAN column");
        }
      }
      if (config.partitionColumns().size() >= names.size()) {
        throw new IllegalArgumentException(
            "At least one column must not be a partition column: " + Arrays.toString(names.toArray()));
      }
    }
  }
}
