package io.tributary.cdc.silver;

import java.util.List;

/** Schemas shared by the unit tests. */
public final class TestSchemas {
  private TestSchemas() {}

  /** public.orders(id bigint, name text, amount numeric(10,2), created_at timestamptz, tags int[]). */
  public static SilverSchema orders() {
    return new SilverSchema(new SourceTable(TableName.parse("orders"), List.of(
        new SourceTable.Column("id", PgTypeMapper.map("int8", "b", "bigint", -1, null, null).orElseThrow()),
        new SourceTable.Column("name", PgTypeMapper.map("text", "b", "text", -1, null, null).orElseThrow()),
        new SourceTable.Column("amount", PgTypeMapper.map("numeric", "b", "numeric(10,2)", ((10 << 16) | 2) + 4, null, null).orElseThrow()),
        new SourceTable.Column("created_at", PgTypeMapper.map("timestamptz", "b", "timestamp with time zone", -1, null, null).orElseThrow()),
        new SourceTable.Column("tags", PgTypeMapper.map("_int4", "b", "integer[]", -1, "int4", "b").orElseThrow())),
        List.of("id"), 'f'), 1);
  }
}
