package io.tributary.cdc.silver;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops changes already passed on before the restored checkpoint: per table it keeps the highest
 * source position {@code (commitLsn, seq)} emitted and lets only later positions through. After a
 * restore the source re-reads from the slot's confirmed position, which is at or before the
 * checkpoint's, so every replayed change is at or below the restored mark, and every new one above
 * it (positions are strictly increasing per table; see {@link SilverRow}).
 *
 * <p>Runs with parallelism 1 on the source's output; its state is a handful of longs per table.
 */
public final class PositionDeduplicator extends ProcessFunction<SilverRow, SilverRow> implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PositionDeduplicator.class);

  private transient ListState<Tuple3<String, Long, Long>> state;
  private transient Map<String, long[]> marks;
  private transient Counter dropped;
  private transient long droppedSinceLog;

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    state = context.getOperatorStateStore().getUnionListState(
        new ListStateDescriptor<>("cdc-positions", TypeInformation.of(new TypeHint<Tuple3<String, Long, Long>>() {})));
    marks = new HashMap<>();
    for (Tuple3<String, Long, Long> t : state.get()) {
      long[] m = marks.get(t.f0);
      if (m == null || after(t.f1, t.f2, m[0], m[1])) {
        marks.put(t.f0, new long[] {t.f1, t.f2});
      }
    }
    if (!marks.isEmpty()) {
      LOG.info("Restored source positions: {}", describe());
    }
  }

  @Override
  public void open(org.apache.flink.configuration.Configuration parameters) {
    dropped = getRuntimeContext().getMetricGroup().counter("cdcReplayedChangesDropped");
  }

  @Override
  public void processElement(SilverRow row, Context ctx, Collector<SilverRow> out) {
    String table = row.table().qualified();
    long[] mark = marks.get(table);
    if (mark != null && !row.isAfter(mark[0], mark[1])) {
      dropped.inc();
      droppedSinceLog++;
      return;
    }
    if (droppedSinceLog > 0) {
      LOG.info("Dropped {} replayed changes up to the restored positions; resuming at {}", droppedSinceLog, row);
      droppedSinceLog = 0;
    }
    if (mark == null) {
      marks.put(table, new long[] {row.commitLsn(), row.seq()});
    } else {
      mark[0] = row.commitLsn();
      mark[1] = row.seq();
    }
    out.collect(row);
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    state.clear();
    for (Map.Entry<String, long[]> e : marks.entrySet()) {
      state.add(Tuple3.of(e.getKey(), e.getValue()[0], e.getValue()[1]));
    }
  }

  public static boolean after(long lsn, long seq, long markLsn, long markSeq) {
    int c = Long.compareUnsigned(lsn, markLsn);
    return c > 0 || (c == 0 && Long.compareUnsigned(seq, markSeq) > 0);
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    marks.forEach((t, m) -> b.append(t).append('@').append(Lsns.format(m[0])).append('#').append(m[1]).append(' '));
    return b.toString().trim();
  }
}
