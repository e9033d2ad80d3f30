package io.tributary.cdc.silver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.Test;

class SilverRowSerializerTest {
  static SilverSchema schema() {
    PgColumnType text = PgTypeMapper.map("text", "b", "text", -1, null, null).orElseThrow();
    PgColumnType dec = PgTypeMapper.map("numeric", "b", "numeric(10,2)", ((10 << 16) | 2) + 4, null, null).orElseThrow();
    PgColumnType arr = PgTypeMapper.map("_int4", "b", "integer[]", -1, "int4", "b").orElseThrow();
    PgColumnType id = PgTypeMapper.map("int8", "b", "bigint", -1, null, null).orElseThrow();
    return new SilverSchema(new SourceTable(TableName.parse("orders"),
        List.of(new SourceTable.Column("id", id), new SourceTable.Column("name", text),
            new SourceTable.Column("amount", dec), new SourceTable.Column("tags", arr)),
        List.of("id"), 'f'), 3);
  }

  @Test
  void roundTripsEveryValueKindAndTheSchema() throws Exception {
    SilverSchema schema = schema();
    Object[] values = new Object[schema.width()];
    values[0] = 42L;
    values[1] = StringData.fromString("héllo");
    values[2] = DecimalData.fromBigDecimal(new BigDecimal("12.34"), 10, 2);
    values[3] = new GenericArrayData(new Object[] {1, null, 3});
    values[4] = StringData.fromString("u");
    values[5] = 123L;
    values[6] = (short) 1;
    values[7] = 5L;
    values[8] = true;
    values[9] = TimestampData.fromEpochMillis(1000, 500);
    values[10] = new byte[] {1, 2};
    values[11] = 2.5d;
    values[12] = 19000;
    values[13] = 1.5f;
    SilverRow row = new SilverRow(schema, 123L, 5L, values);
    SilverRowSerializer serializer = new SilverRowSerializer();
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(row, out);
    serializer.serialize(row, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    SilverRowSerializer reader = (SilverRowSerializer) serializer.duplicate();
    SilverRow a = reader.deserialize(in);
    SilverRow b = reader.deserialize(in);
    assertThat(a.schema()).isEqualTo(schema).isSameAs(b.schema());
    assertThat(a.schema().version()).isEqualTo(3);
    assertThat(a.schema().source().primaryKey()).containsExactly("id");
    assertThat(a.schema().rowType()).isEqualTo(schema.rowType());
    assertThat(a.commitLsn()).isEqualTo(123L);
    assertThat(a.seq()).isEqualTo(5L);
    assertThat(a.values()[0]).isEqualTo(42L);
    assertThat(a.values()[1].toString()).isEqualTo("héllo");
    assertThat(((DecimalData) a.values()[2]).toBigDecimal()).isEqualTo(new BigDecimal("12.34"));
    assertThat(((GenericArrayData) a.values()[3]).toObjectArray()).containsExactly(1, null, 3);
    assertThat(a.values()[6]).isEqualTo((short) 1);
    assertThat(a.values()[8]).isEqualTo(true);
    assertThat(a.values()[9]).isEqualTo(TimestampData.fromEpochMillis(1000, 500));
    assertThat((byte[]) a.values()[10]).containsExactly(1, 2);
    assertThat(a.values()[11]).isEqualTo(2.5d);
    assertThat(a.values()[12]).isEqualTo(19000);
    assertThat(a.values()[13]).isEqualTo(1.5f);
    assertThat(serializer.copy(row)).isSameAs(row);
  }
}
