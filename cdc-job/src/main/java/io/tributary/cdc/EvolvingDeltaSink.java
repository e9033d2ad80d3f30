package io.tributary.cdc;

import io.tributary.delta.DeltaCommittable;
import io.tributary.delta.DeltaSink;
import io.tributary.delta.DeltaWriteResult;
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
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's {@link DeltaSink} for one silver table, with in-flight schema evolution: rows
 * carry their {@link SilverSchema}, and when one arrives with columns the current writer lacks,
 * the writer closes its files (they stay part of the current checkpoint's commit), builds a
 * {@code DeltaSink} for the wider row type with {@code schema.evolution=true} (a metadata-only
 * commit adding the nullable columns to the table) and continues with that sink's writer. The
 * commit path (aggregator, committer, transaction ids) is the original sink's, unchanged: the
 * committer only adds files, and files without a column read as null.
 */
public final class EvolvingDeltaSink
    implements Sink<SilverRow>,
        SupportsCommitter<DeltaCommittable>,
        SupportsPreCommitTopology<DeltaWriteResult, DeltaCommittable> {
  private static final long serialVersionUID = 1L;

  private final DeltaSink initial;
  private final SilverSchema initialSchema;
  private final Map<String, String> options;

  /**
   * Builds (and creates or checks) the table for {@code schema}.
   *
   * @param options Delta sink options including {@code table.path} and {@code sink.id}
   */
  public EvolvingDeltaSink(SilverSchema schema, Map<String, String> options) {
    this.initialSchema = schema;
    this.options = new HashMap<>(options);
    this.options.put("schema.evolution", "true");
    if (!schema.source().primaryKey().isEmpty()) {
      // Readers derive the current state by this key (tributary query's <table>_current views).
      this.options.putIfAbsent("table.property.tributary.cdc.primary-key", String.join(",", schema.source().primaryKey()));
    }
    this.initial = build(schema.rowType(), this.options);
  }

  static DeltaSink build(RowType rowType, Map<String, String> options) {
    return DeltaSink.forRowData(rowType).options(options).partitionColumns(SilverSchema.EVENT_DATE).build();
  }

  /** @deprecated Flink 1.20 calls {@link #createWriter(WriterInitContext)}. */
  @Deprecated
  @Override
  public SinkWriter<SilverRow> createWriter(InitContext context) {
    throw new UnsupportedOperationException("Use createWriter(WriterInitContext)");
  }

  @Override
  public SinkWriter<SilverRow> createWriter(WriterInitContext context) throws IOException {
    return new Writer(context);
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

  /** Writes through a DeltaSink writer for the widest schema seen so far. */
  private final class Writer implements CommittingSinkWriter<SilverRow, DeltaWriteResult> {
    private final Logger log = LoggerFactory.getLogger(EvolvingDeltaSink.class);
    private final WriterInitContext context;
    private final List<DeltaWriteResult> retired = new ArrayList<>();
    private List<String> columns;
    /** Row type of {@link #delegate}; null while it is the initial schema's. */
    private RowType currentRowType;
    private CommittingSinkWriter<RowData, DeltaWriteResult> delegate;
    /** Schema of the last row and where its values go in the writer's row (null: same layout). */
    private SilverSchema lastSchema;
    private int[] mapping;

    Writer(WriterInitContext context) throws IOException {
      this.context = context;
      this.columns = initialSchema.fieldNames();
      this.delegate = writerOf(initial);
      this.lastSchema = initialSchema;
      this.mapping = null;
    }

    @SuppressWarnings("unchecked")
    private CommittingSinkWriter<RowData, DeltaWriteResult> writerOf(DeltaSink sink) throws IOException {
      return (CommittingSinkWriter<RowData, DeltaWriteResult>) sink.createWriter(context);
    }

    @Override
    public void write(SilverRow row, Context ctx) throws IOException, InterruptedException {
      if (row.schema() != lastSchema) {
        adopt(row.schema());
      }
      Object[] values = row.values();
      if (mapping == null) {
        delegate.write(GenericRowData.of(values), ctx);
      } else {
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
          out[mapping[i]] = values[i];
        }
        delegate.write(GenericRowData.of(out), ctx);
      }
    }

    private void adopt(SilverSchema schema) throws IOException, InterruptedException {
      List<String> names = schema.fieldNames();
      if (!columns.containsAll(names)) {
        List<RowType.RowField> fields = new ArrayList<>(currentRowType().getFields());
        List<String> added = new ArrayList<>();
        RowType incoming = schema.rowType();
        for (RowType.RowField f : incoming.getFields()) {
          if (!columns.contains(f.getName())) {
            fields.add(f);
            added.add(f.getName());
          }
        }
        RowType wider = new RowType(fields);
        log.info("Silver table {} gains columns {}: switching to a writer for {}", options.get("table.path"), added, wider);
        retired.addAll(delegate.prepareCommit());
        try {
          delegate.close(); // nothing open after prepareCommit: releases resources only
        } catch (Exception e) {
          throw new IOException("Closing the previous Delta writer failed", e);
        }
        delegate = writerOf(build(wider, options));
        currentRowType = wider;
        columns = wider.getFieldNames();
      }
      lastSchema = schema;
      if (names.equals(columns)) {
        mapping = null;
      } else {
        mapping = new int[names.size()];
        for (int i = 0; i < mapping.length; i++) {
          mapping[i] = columns.indexOf(names.get(i));
        }
      }
    }

    private RowType currentRowType() {
      return currentRowType != null ? currentRowType : initialSchema.rowType();
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
      delegate.flush(endOfInput);
    }

    @Override
    public Collection<DeltaWriteResult> prepareCommit() throws IOException, InterruptedException {
      List<DeltaWriteResult> out = new ArrayList<>(retired);
      retired.clear();
      out.addAll(delegate.prepareCommit());
      return out;
    }

    @Override
    public void close() throws Exception {
      delegate.close();
    }
  }
}
