package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FileStatisticsTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("d18", new DecimalType(18, 4))
          .add("d38", new DecimalType(38, 10))
          .add("s", StringType.STRING)
          .add("ts", TimestampType.TIMESTAMP);

  @Test
  void decimalBoundsSurviveTheRoundTripExactly() {
    String json =
        "{\"numRecords\":3,"
            + "\"minValues\":{\"d18\":-99999999999999.9999,\"d38\":1234567890123456789012345678.0123456789,\"s\":\"a\",\"ts\":\"2024-06-27T00:00:00.001Z\"},"
            + "\"maxValues\":{\"d18\":12345678901234.5682,\"d38\":1234567890123456789012345678.0123456790,\"s\":\"b\",\"ts\":\"2024-06-27T00:00:00.002Z\"},"
            + "\"nullCount\":{\"d18\":0,\"d38\":1,\"s\":2,\"ts\":0}}";
    DataFileStatistics stats = FileStatistics.fromJson(json, SCHEMA);
    assertThat(stats.getNumRecords()).isEqualTo(3);
    assertThat(stats.getMinValues().get(new Column("d18")).getValue()).isEqualTo(new BigDecimal("-99999999999999.9999"));
    assertThat(stats.getMaxValues().get(new Column("d18")).getValue()).isEqualTo(new BigDecimal("12345678901234.5682"));
    assertThat(stats.getMinValues().get(new Column("d38")).getValue())
        .isEqualTo(new BigDecimal("1234567890123456789012345678.0123456789"));
    assertThat(stats.getMinValues().get(new Column("ts")).getValue()).isEqualTo(1_719_446_400_001_000L);
    assertThat(stats.getNullCount().get(new Column("s"))).isEqualTo(2L);
    // And Kernel writes them back unchanged.
    assertThat(stats.serializeAsJson(SCHEMA))
        .contains("\"d18\":-99999999999999.9999")
        .contains("\"d38\":1234567890123456789012345678.0123456790");
  }

  @Test
  void columnsUnknownToTheTableAreDropped() {
    DataFileStatistics stats =
        FileStatistics.fromJson("{\"numRecords\":1,\"minValues\":{\"gone\":1},\"maxValues\":{},\"nullCount\":{\"gone\":0}}", SCHEMA);
    assertThat(stats.getMinValues()).isEmpty();
    assertThat(stats.getNullCount()).isEmpty();
  }
}
