package io.tributary.eventsjob;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;

/**
 * The rows from the router to the dedup operator: the {@link AtomicEventsTable} columns, then the
 * payload's {@link PayloadFingerprint} and the raw payload (kept so a conflicting duplicate can be
 * quarantined with its bytes). The dedup hands on only the atomic columns.
 */
final class DedupRow {
  static final int ATOMIC_ARITY = AtomicEventsTable.ROW_TYPE.getFieldCount();
  static final int FINGERPRINT = ATOMIC_ARITY;
  static final int RAW_PAYLOAD = ATOMIC_ARITY + 1;
  /** Index of {@code ingest_timestamp}: the Kinesis arrival time, the dedup window's clock. */
  static final int ARRIVAL = AtomicEventsTable.COLUMNS.indexOf("ingest_timestamp");
  static final int ARRIVAL_PRECISION = 3;

  static final RowType ROW_TYPE = rowType();

  private DedupRow() {}

  /** The atomic columns' indexes, for a projection back to {@link AtomicEventsTable#ROW_TYPE}. */
  static int[] atomicColumns() {
    int[] columns = new int[ATOMIC_ARITY];
    for (int i = 0; i < ATOMIC_ARITY; i++) {
      columns[i] = i;
    }
    return columns;
  }

  private static RowType rowType() {
    List<RowType.RowField> fields = new ArrayList<>(AtomicEventsTable.ROW_TYPE.getFields());
    fields.add(new RowType.RowField("payload_fingerprint", new BigIntType(false)));
    fields.add(new RowType.RowField("raw_payload", new VarBinaryType(false, VarBinaryType.MAX_LENGTH)));
    return new RowType(false, fields);
  }

  /** Builds dedup rows around atomic rows, reusing one holder: each row is valid until the next call. */
  static final class Builder {
    private final GenericRowData extra = new GenericRowData(2);
    private final JoinedRowData joined = new JoinedRowData();

    RowData of(RowData atomicRow, byte[] payload) {
      extra.setField(0, PayloadFingerprint.of(payload));
      extra.setField(1, payload);
      return joined.replace(atomicRow, extra);
    }
  }
}
