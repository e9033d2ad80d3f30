package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
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

  @Test
  void longStringMaximumsAreCutToAPrefixAndATieBreaker() {
    String del = "\u007f";
    String top = new String(Character.toChars(Character.MAX_CODE_POINT));
    assertThat(FileStatistics.upperBound("abcd", 6)).isEqualTo("abcd");
    assertThat(FileStatistics.upperBound("abcdef", 6)).isEqualTo("abcdef");
    // The character after the prefix is ASCII: DEL, the smallest character above it, suffices.
    assertThat(FileStatistics.upperBound("abcdef-ghij", 6)).isEqualTo("abcdef" + del);
    // A UUID, as event_id holds, keeps 32 of its characters.
    assertThat(FileStatistics.upperBound("0f8fad5b-d9cb-469f-a165-70867728950e", 32))
        .isEqualTo("0f8fad5b-d9cb-469f-a165-70867728" + del);
    // DEL itself or anything above ASCII is followed by U+10FFFF.
    assertThat(FileStatistics.upperBound("abcdef" + del + "x", 6)).isEqualTo("abcdef" + top);
    assertThat(FileStatistics.upperBound("abcdefüx", 6)).isEqualTo("abcdef" + top);
    assertThat(FileStatistics.upperBound("abcdef\ud83d\ude00x", 6)).isEqualTo("abcdef" + top);
    // A surrogate pair is never split: the prefix stops before it.
    assertThat(FileStatistics.upperBound("abcde\ud83d\ude00x", 6)).isEqualTo("abcde" + top);
    // U+10FFFF after the prefix: nothing is greater, so the prefix grows past it.
    assertThat(FileStatistics.upperBound("abcdef" + top + "x", 6)).isEqualTo("abcdef" + top + del);
    // ...but not beyond twice the prefix length: then no bound is written.
    assertThat(FileStatistics.upperBound("ab" + top.repeat(3) + "x", 2)).isNull();
  }

  @Test
  void theStringMaximumBoundsTheValueInUtf8ByteOrder() {
    // Delta readers (Spark, Trino, Kernel) compare strings by their UTF-8 bytes.
    int[] alphabet = {'a', 'z', '~', 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10fffe, 0x10ffff};
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(12);
      for (int k = 0; k < n; k++) {
        b.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
      }
      String value = b.toString();
      int prefix = 1 + random.nextInt(5);
      String bound = FileStatistics.upperBound(value, prefix);
      if (bound == null) {
        continue;
      }
      assertThat(utf8Compare(bound, value)).as("bound %s of %s (prefix %s)", codePoints(bound), codePoints(value), prefix).isGreaterThanOrEqualTo(0);
      assertThat(bound.length()).isLessThanOrEqualTo(2 * prefix + 2);
      if (value.length() > prefix) {
        assertThat(bound.length()).isLessThan(value.length() + 2);
      }
    }
  }

  private static int utf8Compare(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String codePoints(String s) {
    return Arrays.toString(s.codePoints().mapToObj(Integer::toHexString).toArray());
  }
}
