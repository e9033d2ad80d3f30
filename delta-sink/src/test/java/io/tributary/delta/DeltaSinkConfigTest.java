package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class DeltaSinkConfigTest {
  private static Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put("table.path", "s3a://lake/silver/orders");
    return m;
  }

  @Test
  void defaults() {
    DeltaSinkConfig c = DeltaSinkConfig.fromMap(base());
    assertThat(c.sinkId()).isEqualTo("s3a://lake/silver/orders");
    assertThat(c.targetFileSize()).isEqualTo(128L << 20);
    assertThat(c.compression()).isEqualTo(DeltaSinkOptions.Compression.SNAPPY);
    assertThat(c.partitionColumns()).isEmpty();
    assertThat(c.tableProperties()).containsEntry("delta.checkpointInterval", "10");
    assertThat(c.schemaEvolution()).isFalse();
    assertThat(c.hadoopConfiguration().get("io.delta.kernel.logStore.s3a.impl"))
        .isEqualTo("io.tributary.delta.storage.S3ConditionalPutLogStore");
  }

  @Test
  void anExplicitLogStoreWins() {
    Map<String, String> m = base();
    m.put("hadoop.io.delta.kernel.logStore.s3a.impl", "io.delta.storage.S3SingleDriverLogStore");
    assertThat(DeltaSinkConfig.fromMap(m).hadoopConfiguration().get("io.delta.kernel.logStore.s3a.impl"))
        .isEqualTo("io.delta.storage.S3SingleDriverLogStore");
  }

  @Test
  void prefixedOptionsGoToHadoopAndTableProperties() {
    Map<String, String> m = base();
    m.put("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    m.put("table.property.delta.logRetentionDuration", "interval 7 days");
    m.put("log.checkpoint-interval", "5");
    m.put("partition.columns", "event_date;country");
    m.put("parquet.compression", "zstd");
    DeltaSinkConfig c = DeltaSinkConfig.fromMap(m);
    assertThat(c.hadoopConf()).containsExactly(Map.entry("fs.s3a.endpoint", "http://127.0.0.1:9000"));
    assertThat(c.hadoopConfiguration().get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
    assertThat(c.tableProperties())
        .containsEntry("delta.logRetentionDuration", "interval 7 days")
        .containsEntry("delta.checkpointInterval", "5");
    assertThat(c.partitionColumns()).containsExactly("event_date", "country");
    assertThat(c.compression()).isEqualTo(DeltaSinkOptions.Compression.ZSTD);
  }

  @Test
  void pathsAreNormalized() {
    assertThat(DeltaSinkConfig.normalizeTablePath("s3://bucket/t/")).isEqualTo("s3a://bucket/t");
    assertThat(DeltaSinkConfig.normalizeTablePath("/tmp/a/../lake/t")).isEqualTo("file:///tmp/lake/t");
    assertThat(DeltaSinkConfig.normalizeTablePath("file:/tmp/t")).isEqualTo("file:/tmp/t");
  }

  @Test
  void missingTablePathNamesTheKey() {
    assertThatThrownBy(() -> DeltaSinkConfig.fromMap(new HashMap<>()))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("'table.path' is required");
  }

  @Test
  void badValuesNameKeyAndValue() {
    Map<String, String> m = base();
    m.put("file.max-open", "0");
    assertThatThrownBy(() -> DeltaSinkConfig.fromMap(m))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("'file.max-open' = 0");
    Map<String, String> codec = base();
    codec.put("parquet.compression", "lz77");
    assertThatThrownBy(() -> DeltaSinkConfig.fromMap(codec))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("lz77");
  }
}
