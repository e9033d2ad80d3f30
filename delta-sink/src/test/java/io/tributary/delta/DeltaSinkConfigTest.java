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

  @Test
  void readCollectsEveryProblemNamingTheKeysAsTheJobWritesThem() {
    Map<String, String> m = new HashMap<>();
    m.put("file.max-open", "0");
    m.put("parquet.compression", "lz77");
    m.put("commit.max-retries", "-1");
    java.util.List<String> problems = new java.util.ArrayList<>();
    assertThat(DeltaSinkConfig.read(m, "sink.", problems)).isNull();
    assertThat(String.join("\n", problems))
        .contains("'sink.table.path' is required")
        .contains("'sink.parquet.compression'")
        .contains("lz77");
    // A value that does not parse stops the range checks; the range problems come once it parses.
    m.put("parquet.compression", "zstd");
    m.put("table.path", "/lake/t");
    problems.clear();
    assertThat(DeltaSinkConfig.read(m, "sink.", problems)).isNull();
    assertThat(problems).hasSize(2).anyMatch(p -> p.contains("'sink.file.max-open' = 0"))
        .anyMatch(p -> p.contains("'sink.commit.max-retries' = -1"));
    assertThatThrownBy(() -> DeltaSinkConfig.fromMap(m))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("'file.max-open' = 0")
        .hasMessageContaining("'commit.max-retries' = -1");
  }

  @Test
  void withSetsOneTypedOptionAndKeepsTheRest() {
    Map<String, String> m = base();
    m.put("parquet.compression", "zstd");
    m.put("hadoop.fs.s3a.endpoint", "http://s3");
    DeltaSinkConfig shared = DeltaSinkConfig.fromMap(m);
    DeltaSinkConfig table = shared
        .with(DeltaSinkOptions.TABLE_PATH, "s3a://lake/silver/items")
        .with(DeltaSinkOptions.SINK_ID, "job.items")
        .with(DeltaSinkOptions.PARTITION_COLUMNS, java.util.List.of("event_date", "region"))
        .with(DeltaSinkOptions.SCHEMA_EVOLUTION, true)
        .withTablePropertyIfAbsent("delta.appendOnly", "true");
    assertThat(table.tablePath()).isEqualTo("s3a://lake/silver/items");
    assertThat(table.sinkId()).isEqualTo("job.items");
    assertThat(table.partitionColumns()).containsExactly("event_date", "region");
    assertThat(table.schemaEvolution()).isTrue();
    assertThat(table.compression()).isEqualTo(DeltaSinkOptions.Compression.ZSTD);
    assertThat(table.hadoopConf()).containsEntry("fs.s3a.endpoint", "http://s3");
    assertThat(table.tableProperties()).containsEntry("delta.appendOnly", "true");
    assertThat(shared.sinkId()).isEqualTo("s3a://lake/silver/orders");
    assertThatThrownBy(() -> shared.with(DeltaSinkOptions.MAX_OPEN_FILES, 0))
        .isInstanceOf(IllegalConfigurationException.class)
        .hasMessageContaining("'file.max-open' = 0");
  }
}
