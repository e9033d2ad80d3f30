package io.tributary.cdc.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cdc.silver.PgColumnType.Kind;
import org.apache.flink.table.types.logical.DecimalType;
import org.junit.jupiter.api.Test;

class PgTypeMapperTest {
  private static int typmod(int p, int s) {
    return ((p << 16) | s) + 4;
  }

  @Test
  void mapsTheDocumentedTypes() {
    assertThat(PgTypeMapper.map("int2", "b", "smallint", -1, null, null).get().kind()).isEqualTo(Kind.SMALLINT);
    assertThat(PgTypeMapper.map("int4", "b", "integer", -1, null, null).get().kind()).isEqualTo(Kind.INT);
    assertThat(PgTypeMapper.map("int8", "b", "bigint", -1, null, null).get().kind()).isEqualTo(Kind.BIGINT);
    assertThat(PgTypeMapper.map("numeric", "b", "numeric(12,3)", typmod(12, 3), null, null).get().logicalType())
        .isEqualTo(new DecimalType(12, 3));
    assertThat(PgTypeMapper.map("numeric", "b", "numeric", -1, null, null).get().kind()).isEqualTo(Kind.STRING);
    assertThat(PgTypeMapper.map("numeric", "b", "numeric(50,2)", typmod(50, 2), null, null).get().kind()).isEqualTo(Kind.STRING);
    assertThat(PgTypeMapper.map("jsonb", "b", "jsonb", -1, null, null).get().kind()).isEqualTo(Kind.STRING);
    assertThat(PgTypeMapper.map("mood", "e", "mood", -1, null, null).get().kind()).isEqualTo(Kind.STRING);
    assertThat(PgTypeMapper.map("timestamptz", "b", "timestamp with time zone", -1, null, null).get().kind())
        .isEqualTo(Kind.TIMESTAMPTZ);
    assertThat(PgTypeMapper.map("_text", "b", "text[]", -1, "text", "b").get().element().kind()).isEqualTo(Kind.STRING);
  }

  @Test
  void rejectsUnsupportedTypes() {
    assertThat(PgTypeMapper.map("interval", "b", "interval", -1, null, null)).isEmpty();
    assertThat(PgTypeMapper.map("point", "b", "point", -1, null, null)).isEmpty();
    assertThat(PgTypeMapper.map("_bytea", "b", "bytea[]", -1, "bytea", "b")).isEmpty();
    assertThat(PgTypeMapper.map("_interval", "b", "interval[]", -1, "interval", "b")).isEmpty();
  }
}
