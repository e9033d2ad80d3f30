package io.tributary.delta;

import io.tributary.delta.log.SchemaJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeltaSink} whose rows may gain columns while the job runs: each row carries its schema
 * ({@link EvolvingRow}). When a row arrives with columns the writer lacks, the writer closes its
 * files (they stay part of the current checkpoint's commit) and continues with a writer for the
 * wider row type. Writers never touch the Delta log: the files of a wider writer travel with
 * their schema, and the single committer adds the missing nullable columns in a metadata commit
 * serialized before the checkpoint's data commit. A schema change therefore cannot race a data
 * commit, and a replayed checkpoint re-applies it idempotently (columns already present are not
 * added again). Files without a column read as null.
 *
 * <p>Columns are matched by name; a newer schema adds columns, never drops or retypes one. New
 * columns must be nullable.
 */
public final class EvolvingDeltaSink<T extends EvolvingRow>
    implements Sink<T>,
        org.apache.flink.api.connector.sink2.SupportsWriterState<T, String>,
        SupportsCommitter<DeltaCommittable>,
        SupportsPreCommitTopology<DeltaWriteResult, DeltaCommittable> {
  private static final long serialVersionUID = 1L;

  private final DeltaSink initial;

  /**
   * Builds (and creates or checks) the table for the initial row type, like {@link
   * DeltaSink.Builder#build()}.
   *
   * @param config the sink configuration of the table (table path and sink id set)
   * @param partitionColumns partition columns, present in every schema version
   */
  public EvolvingDeltaSink(RowType initialType, DeltaSinkConfig config, String... partitionColumns) {
    // The table may already have columns a previous run added; the initial type may lag behind.
    this.initial = DeltaSink.forRowData(initialType)
        .config(config.with(DeltaSinkOptions.SCHEMA_EVOLUTION, true))
        .partitionColumns(partitionColumns)
        .build();
  }

  /**
   * As {@link #EvolvingDeltaSink(RowType, DeltaSinkConfig, String...)}, from string options.
   *
   * @param options Delta sink options including {@link DeltaSinkOptions#TABLE_PATH} and {@link
   *     DeltaSinkOptions#SINK_ID}
   */
  public EvolvingDeltaSink(RowType initialType, Map<String, String> options, String... partitionColumns) {
    this(initialType, DeltaSinkConfig.fromMap(options), partitionColumns);
  }

  public DeltaSinkConfig config() {
    return initial.config();
  }

  /** @deprecated Flink 1.20 calls {@link #createWriter(WriterInitContext)}. */
  @Deprecated
  public SinkWriter<T> createWriter(InitContext context) {
    throw new UnsupportedOperationException("Use createWriter(WriterInitContext)");
  }

  @Override
  public org.apache.flink.api.connector.sink2.StatefulSinkWriter<T, String> createWriter(WriterInitContext context)
      throws IOException {
    return new Writer(context, RunLineage.start(context.getTaskInfo().getIndexOfThisSubtask()));
  }

  @Override
  public org.apache.flink.api.connector.sink2.StatefulSinkWriter<T, String> restoreWriter(WriterInitContext context,
      Collection<String> recoveredState) throws IOException {
    return new Writer(context, RunLineage.restore(initial.config(), context.getTaskInfo().getIndexOfThisSubtask(),
        context.getRestoredCheckpointId(), recoveredState));
  }

  @Override
  public SimpleVersionedSerializer<String> getWriterStateSerializer() {
    return initial.getWriterStateSerializer();
  }

  @Override
  public Committer<DeltaCommittable> createCommitter(CommitterInitContext context) throws IOException {
    return initial.createCommitter(context);
  }

  @Override
  public SimpleVersionedSerializer<DeltaCommittable> getCommittableSerializer() {
    return initial.getCommittableSerializer();
  }

  @Override
  public SimpleVersionedSerializer<DeltaWriteResult> getWriteResultSerializer() {
    return initial.getWriteResultSerializer();
  }

  @Override
  public DataStream<CommittableMessage<DeltaCommittable>> addPreCommitTopology(
      DataStream<CommittableMessage<DeltaWriteResult>> writeResults) {
    return initial.addPreCommitTopology(writeResults);
  }

  /** Writes through a DeltaWriter for the widest row type seen so far. */
  private final class Writer
      implements CommittingSinkWriter<T, DeltaWriteResult>, org.apache.flink.api.connector.sink2.StatefulSinkWriter<T, String> {
    private final Logger log = LoggerFactory.getLogger(EvolvingDeltaSink.class);
    private final WriterInitContext context;
    private final List<DeltaWriteResult> retired = new ArrayList<>();
    /** Where the values of rows with these field names go in the writer's row (null: same layout). */
    private final Map<List<String>, int[]> mappings = new HashMap<>();
    private RowType current;
    /** Delta schema JSON of {@link #current} once it is wider than the initial type; else null. */
    private String currentSchemaJson;
    private CommittingSinkWriter<org.apache.flink.table.data.RowData, DeltaWriteResult> delegate;
    private RowType lastType;
    private int[] lastMapping;

    /** Kept and tagged here, not by the delegates, which are replaced as the schema widens. */
    private final RunLineage lineage;

    Writer(WriterInitContext context, RunLineage lineage) throws IOException {
      this.context = context;
      this.lineage = lineage;
      this.current = initial.rowType();
      this.delegate = writerOf(initial);
    }

    @SuppressWarnings("unchecked")
    private CommittingSinkWriter<org.apache.flink.table.data.RowData, DeltaWriteResult> writerOf(DeltaSink sink)
        throws IOException {
      return sink.createDelegateWriter(context);
    }

    @Override
    public void write(T row, Context ctx) throws IOException, InterruptedException {
      RowType type = row.rowType();
      if (type != lastType) {
        lastMapping = mapping(type);
        lastType = type;
      }
      Object[] values = row.values();
      if (lastMapping == null) {
        delegate.write(GenericRowData.of(values), ctx);
      } else {
        Object[] out = new Object[current.getFieldCount()];
        for (int i = 0; i < values.length; i++) {
          out[lastMapping[i]] = values[i];
        }
        delegate.write(GenericRowData.of(out), ctx);
      }
    }

    private int[] mapping(RowType type) throws IOException, InterruptedException {
      List<String> names = type.getFieldNames();
      List<String> columns = current.getFieldNames();
      for (RowType.RowField f : type.getFields()) {
        int i = columns.indexOf(f.getName());
        if (i >= 0 && !current.getTypeAt(i).copy(true).equals(f.getType().copy(true))) {
          throw new IllegalStateException("Column '" + f.getName() + "' of " + initial.config().tablePath()
              + " changed type from " + current.getTypeAt(i).asSummaryString() + " to "
              + f.getType().asSummaryString() + "; only added columns are evolved");
        }
      }
      if (!columns.containsAll(names)) {
        widen(type);
        columns = current.getFieldNames();
        mappings.clear();
      }
      if (mappings.containsKey(names)) {
        return mappings.get(names);
      }
      int[] mapping = null;
      if (!names.equals(columns)) {
        mapping = new int[names.size()];
        for (int i = 0; i < mapping.length; i++) {
          mapping[i] = columns.indexOf(names.get(i));
        }
      }
      mappings.put(names, mapping);
      return mapping;
    }

    private void widen(RowType incoming) throws IOException, InterruptedException {
      List<RowType.RowField> fields = new ArrayList<>(current.getFields());
      List<String> added = new ArrayList<>();
      for (RowType.RowField f : incoming.getFields()) {
        if (!current.getFieldNames().contains(f.getName())) {
          fields.add(f);
          added.add(f.getName());
        }
      }
      RowType wider = new RowType(fields);
      log.info("Delta table {} gains columns {}: switching to a writer for {}; the committer adds them",
          initial.config().tablePath(), added, wider);
      retired.addAll(withSchema(delegate.prepareCommit()));
      try {
        delegate.close(); // nothing open after prepareCommit: releases resources only
      } catch (Exception e) {
        throw new IOException("Closing the previous Delta writer failed", e);
      }
      DeltaSink widerSink = initial.withRowType(wider);
      delegate = writerOf(widerSink);
      current = wider;
      currentSchemaJson = SchemaJson.toJson(DeltaTypes.toDeltaSchema(wider));
    }

    /** The results of the current writer, with its schema when it is wider than the initial one. */
    private List<DeltaWriteResult> withSchema(Collection<DeltaWriteResult> results) {
      List<DeltaWriteResult> out = new ArrayList<>();
      for (DeltaWriteResult r : results) {
        out.add(currentSchemaJson == null ? r : new DeltaWriteResult(r.files(), currentSchemaJson, r.lineage()));
      }
      return out;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      delegate.flush(endOfInput);
    }

    @Override
    public Collection<DeltaWriteResult> prepareCommit() throws IOException, InterruptedException {
      List<DeltaWriteResult> out = new ArrayList<>(retired);
      retired.clear();
      out.addAll(withSchema(delegate.prepareCommit()));
      return new ArrayList<>(lineage.tag(out));
    }

    @Override
    public List<String> snapshotState(long checkpointId) {
      return lineage.snapshot();
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }
}
