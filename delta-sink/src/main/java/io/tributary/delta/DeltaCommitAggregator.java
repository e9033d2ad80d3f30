package io.tributary.delta;

import io.tributary.delta.runtime.UserCodeResources;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Single-parallelism operator between the writers and the committer: collects the files every
 * writer closed for a checkpoint and emits them as one {@link DeltaCommittable}, so each
 * checkpoint becomes exactly one Delta commit.
 *
 * <p>Writers emit their results before forwarding the checkpoint barrier, and sink edges never
 * use unaligned checkpoints, so when this operator sees barrier N it holds every file of
 * checkpoint N. It emits them before the barrier and therefore keeps no state of its own; the
 * committer checkpoints the committable.
 */
final class DeltaCommitAggregator extends AbstractStreamOperator<CommittableMessage<DeltaCommittable>>
    implements OneInputStreamOperator<CommittableMessage<DeltaWriteResult>, CommittableMessage<DeltaCommittable>>,
        BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final String sinkId;
  private transient List<DataFile> pending;
  private transient long lastCheckpointId;
  private transient String pendingSchema;
  /**
   * Drawn on every start, so it never repeats across runs; see {@link DeltaCommittable}. It starts
   * with the sink's run lineage, which writer subtask 0 sends with every checkpoint's results
   * ({@link RunLineage}); null until then.
   */
  private transient String runId;

  DeltaCommitAggregator(String sinkId) {
    this.sinkId = sinkId;
  }

  @Override
  public void open() throws Exception {
    super.open();
    // The committer cannot reach the release hook (Flink 1.20's CommitterInitContext has no
    // class loader): the writers and this operator register it. With default slot sharing, every
    // slot that runs a committer subtask also runs a writer subtask.
    UserCodeResources.releaseWith(getRuntimeContext());
    pending = new ArrayList<>();
    lastCheckpointId = -1;
    runId = null;
  }

  @Override
  public void processElement(StreamRecord<CommittableMessage<DeltaWriteResult>> element) {
    CommittableMessage<DeltaWriteResult> message = element.getValue();
    lastCheckpointId = Math.max(lastCheckpointId, message.getCheckpointIdOrEOI());
    if (message instanceof CommittableWithLineage) {
      DeltaWriteResult result = ((CommittableWithLineage<DeltaWriteResult>) message).getCommittable();
      if (runId == null && result.lineage() != null) {
        runId = result.lineage() + "." + java.util.UUID.randomUUID();
      }
      pending.addAll(result.files());
      pendingSchema = io.tributary.delta.log.SchemaJson.widen(pendingSchema, result.schemaJson());
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    emit(checkpointId);
  }

  @Override
  public void endInput() {
    // Writers tag what they close at end of input with the next checkpoint id.
    emit(lastCheckpointId);
  }

  private void emit(long checkpointId) {
    if (pending.isEmpty()) {
      return; // an idle checkpoint makes no empty commit
    }
    if (runId == null) {
      runId = java.util.UUID.randomUUID().toString(); // no lineage arrived (cannot happen with our writers)
    }
    DeltaCommittable committable = new DeltaCommittable(sinkId, runId, checkpointId, pending, pendingSchema);
    pending = new ArrayList<>();
    pendingSchema = null;
    output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 1, 0)));
    output.collect(new StreamRecord<>(new CommittableWithLineage<>(committable, checkpointId, 0)));
  }
}
