package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LakeOptionsTest {

  @Test
  void oneTrailingSlashRule() {
    assertThat(LakeOptions.normalizeLakePath(" s3a://lake/silver// ")).isEqualTo("s3a://lake/silver");
    assertThat(LakeOptions.normalizeLakePath("/")).isEqualTo("/");
    assertThat(LakeOptions.normalizeLakePath("  ")).isNull();
    assertThat(LakeOptions.tablePath("s3a://lake/silver/", "orders")).isEqualTo("s3a://lake/silver/orders");
    assertThat(LakeOptions.tablePath("s3a://lake/silver", "orders")).isEqualTo("s3a://lake/silver/orders");
    assertThat(LakeOptions.tablePath("/", "orders")).isEqualTo("/orders");
  }

  @Test
  void sinkOptionsAreKeyedAsTheSinkReadsThem() {
    JobParameters p = JobParameters.of(Map.of(
        "sink.parquet.compression", "zstd",
        "hadoop.fs.s3a.endpoint", "http://s3",
        "table.property.delta.appendOnly", "true",
        "lake.path", "/lake"));
    assertThat(LakeOptions.sinkOptions(p, false)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "parquet.compression", "zstd", "hadoop.fs.s3a.endpoint", "http://s3"));
    assertThat(LakeOptions.sinkOptions(p, true)).containsEntry("table.property.delta.appendOnly", "true").hasSize(3);
  }
}
