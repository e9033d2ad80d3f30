package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.PgColumnType;
import io.tributary.cdc.silver.PgTypeMapper;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Silver schemas and rows for the warehouse tests, typed as the catalog would type them. */
final class WarehouseTestTables {
  private WarehouseTestTables() {}

  static PgColumnType type(String typname, String formatted) {
    return PgTypeMapper.map(typname, "b", formatted, -1, null, null).orElseThrow();
  }

  static PgColumnType numeric(int precision, int scale) {
    return PgTypeMapper.map("numeric", "b", "numeric(" + precision + "," + scale + ")", ((precision << 16) | scale) + 4,
        null, null).orElseThrow();
  }

  static PgColumnType array(String elementTypname, String formatted) {
    return PgTypeMapper.map("_" + elementTypname, "b", formatted, -1, elementTypname, "b").orElseThrow();
  }

  static SourceTable.Column column(String name, PgColumnType type) {
    return new SourceTable.Column(name, type);
  }

  /** public.orders (id bigint PRIMARY KEY, status text, amount numeric(12,2)). */
  static SilverSchema orders(SourceTable.Column... more) {
    List<SourceTable.Column> columns = new ArrayList<>(List.of(
        column("id", type("int8", "bigint")), column("status", type("text", "text")), column("amount", numeric(12, 2))));
    columns.addAll(Arrays.asList(more));
    return new SilverSchema(new SourceTable(TableName.parse("public.orders"), columns, List.of("id"), 'f'), 1 + more.length);
  }

  /** A change of {@code schema}: source values (internal formats) then the metadata the sink reads. */
  static SilverRow row(SilverSchema schema, String op, long lsn, long seq, Object... source) {
    Object[] values = new Object[schema.width()];
    System.arraycopy(source, 0, values, 0, source.length);
    values[schema.metadataIndex(SilverSchema.OP)] = StringData.fromString(op);
    values[schema.metadataIndex(SilverSchema.COMMIT_LSN)] = lsn;
    values[schema.metadataIndex(SilverSchema.SEQ)] = seq;
    values[schema.metadataIndex(SilverSchema.COMMIT_TS)] = TimestampData.fromEpochMillis(1_700_000_000_000L + lsn);
    values[schema.metadataIndex(SilverSchema.IS_DELETED)] = "d".equals(op);
    return new SilverRow(schema, lsn, seq, values);
  }
}
