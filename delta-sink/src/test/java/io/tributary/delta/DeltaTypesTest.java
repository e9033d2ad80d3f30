package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.Test;

class DeltaTypesTest {
  @Test
  void mapsEveryDocumentedType() {
    RowType row =
        (RowType)
            DataTypes.ROW(
                    DataTypes.FIELD("b", DataTypes.BOOLEAN()),
                    DataTypes.FIELD("t", DataTypes.TINYINT()),
                    DataTypes.FIELD("s", DataTypes.SMALLINT()),
                    DataTypes.FIELD("i", DataTypes.INT().notNull()),
                    DataTypes.FIELD("l", DataTypes.BIGINT()),
                    DataTypes.FIELD("f", DataTypes.FLOAT()),
                    DataTypes.FIELD("d", DataTypes.DOUBLE()),
                    DataTypes.FIELD("dec", DataTypes.DECIMAL(38, 10)),
                    DataTypes.FIELD("str", DataTypes.STRING()),
                    DataTypes.FIELD("bin", DataTypes.BYTES()),
                    DataTypes.FIELD("day", DataTypes.DATE()),
                    DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(6)),
                    DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3)),
                    DataTypes.FIELD("r", DataTypes.ROW(DataTypes.FIELD("a", DataTypes.INT()))),
                    DataTypes.FIELD("arr", DataTypes.ARRAY(DataTypes.STRING())),
                    DataTypes.FIELD("m", DataTypes.MAP(DataTypes.STRING(), DataTypes.BIGINT())))
                .getLogicalType();
    StructType schema = DeltaTypes.toDeltaSchema(row);
    assertThat(schema.fieldNames()).containsExactly("b", "t", "s", "i", "l", "f", "d", "dec", "str", "bin", "day", "ltz", "ts", "r", "arr", "m");
    assertThat(schema.get("i").isNullable()).isFalse();
    assertThat(schema.get("dec").getDataType()).isEqualTo(new DecimalType(38, 10));
    assertThat(schema.get("ltz").getDataType()).isEqualTo(TimestampType.TIMESTAMP);
    assertThat(schema.get("ts").getDataType()).isEqualTo(TimestampType.TIMESTAMP);
    assertThat(schema.get("r").getDataType()).isInstanceOf(StructType.class);
    assertThat(schema.get("arr").getDataType()).isInstanceOf(ArrayType.class);
    assertThat(schema.get("m").getDataType()).isInstanceOf(MapType.class);
  }

  @Test
  void unsupportedTypeFailsNamingTheColumn() {
    RowType row =
        (RowType)
            DataTypes.ROW(
                    DataTypes.FIELD("id", DataTypes.BIGINT()),
                    DataTypes.FIELD("nested", DataTypes.ROW(DataTypes.FIELD("at", DataTypes.TIME()))))
                .getLogicalType();
    assertThatThrownBy(() -> DeltaTypes.toDeltaSchema(row))
        .isInstanceOf(DeltaTypes.UnsupportedTypeException.class)
        .hasMessageContaining("'nested.at'")
        .hasMessageContaining("TIME");
  }

  @Test
  void sinkBuildRejectsUnsupportedTypesBeforeTouchingStorage() {
    RowType row = (RowType) DataTypes.ROW(DataTypes.FIELD("d", DataTypes.INTERVAL(DataTypes.DAY()))).getLogicalType();
    assertThatThrownBy(() -> DeltaSink.forRowData(row).tablePath("/nonexistent/never-created").build())
        .isInstanceOf(DeltaTypes.UnsupportedTypeException.class)
        .hasMessageContaining("'d'");
    assertThat(new java.io.File("/nonexistent/never-created")).doesNotExist();
  }
}
