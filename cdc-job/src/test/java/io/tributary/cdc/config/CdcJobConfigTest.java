package io.tributary.cdc.config;

import io.tributary.cdc.silver.TableName;
import io.tributary.cdc.source.DebeziumSettings;
import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CdcJobConfigTest {


  @Test
  void defaultsAndDerivedNames() {
    Map<String, String> p = TestConfigs.minimal();
    p.put("cdc.tables", "orders, sales.items");
    p.put("cdc.event-time-columns", "orders.created_at");
    p.put("sink.parquet.compression", "zstd");
    p.put("hadoop.fs.s3a.endpoint", "http://s3");
    p.put("postgres.password", "s3cret");
    CdcJobConfig c = CdcJobConfig.from(JobParameters.of(p), TestConfigs.NO_SECRETS);
    assertThat(c.tables()).containsExactly(TableName.parse("public.orders"), TableName.parse("sales.items"));
    assertThat(c.tablePath(TableName.parse("orders"))).isEqualTo("s3a://lake/silver/orders");
    assertThat(c.tablePath(TableName.parse("sales.items"))).isEqualTo("s3a://lake/silver/sales_items");
    assertThat(c.eventTimeColumn(TableName.parse("orders"))).isEqualTo("created_at");
    assertThat(c.eventTimeColumn(TableName.parse("sales.items"))).isNull();
    assertThat(c.slotName()).isEqualTo("tributary_cdc");
    assertThat(c.port()).isEqualTo(5432);
    assertThat(c.transactionBufferBytes()).isEqualTo(32L << 20);
    assertThat(c.sinkOptions()).containsEntry("parquet.compression", "zstd").containsEntry("hadoop.fs.s3a.endpoint", "http://s3");
    assertThat(c.sinkId(TableName.parse("orders"))).isEqualTo("cdc-job.public.orders");
    assertThat(c.password().reveal()).isEqualTo("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
    assertThat(DebeziumSettings.forSource(c, c.tables(), true)).containsEntry("snapshot.mode", "initial")
        .containsEntry("table.include.list", "\\Qpublic\\E\\.\\Qorders\\E,\\Qsales\\E\\.\\Qitems\\E");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, String> p = new HashMap<>();
    p.put("postgres.port", "70000");
    p.put("cdc.slot", "Bad-Slot");
    p.put("cdc.tables", "a.b.c");
    p.put("cdc.event-time-columns", "other.ts");
    p.put("parallelism", "0");
    p.put("cdc.transaction.buffer-memory", "100b");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(p), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("postgres.database is required")
        .hasMessageContaining("postgres.user is required")
        .hasMessageContaining("lake.path is required")
        .hasMessageContaining("postgres.port must be 1..65535")
        .hasMessageContaining("cdc.slot must be a lower-case")
        .hasMessageContaining("not a table name")
        .hasMessageContaining("parallelism must be at least 1")
        .hasMessageContaining("cdc.transaction.buffer-memory must be at least 1 KiB");
  }

  @Test
  void tlsModesAreValidatedAndReachBothConnections() throws Exception {
    assertThat(CdcJobConfig.from(JobParameters.of(TestConfigs.minimal()), TestConfigs.NO_SECRETS).sslMode()).isEqualTo("prefer");
    Map<String, String> noBundle = TestConfigs.minimal();
    noBundle.put("postgres.sslmode", "verify-full");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(noBundle), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("postgres.sslmode=verify-full needs postgres.sslrootcert");
    Map<String, String> unknown = TestConfigs.minimal();
    unknown.put("postgres.sslmode", "verify");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(unknown), TestConfigs.NO_SECRETS))
        .hasMessageContaining("postgres.sslmode must be one of [disable, allow, prefer, require, verify-ca, verify-full]");
    Map<String, String> unused = TestConfigs.minimal();
    unused.put("postgres.sslrootcert", "/etc/ca.pem");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(unused), TestConfigs.NO_SECRETS))
        .hasMessageContaining("postgres.sslrootcert is only used with postgres.sslmode verify-ca or verify-full");
  }

  /** Issue 24: a misspelled key is refused with a suggestion, whatever the configuration source. */
  @Test
  void aMisspelledKeyIsRefusedWithASuggestionFromEverySource(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    String expected = "unknown option cdc.slott (did you mean cdc.slot?)";
    // Program arguments
    java.util.List<String> args = new java.util.ArrayList<>();
    TestConfigs.minimal().forEach((k, v) -> args.add("--" + k + "=" + v));
    args.add("--cdc.slott=orders_slot");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.fromArgs(args.toArray(new String[0])), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(expected);
    // A properties file (--config)
    java.util.Properties file = new java.util.Properties();
    file.putAll(TestConfigs.minimal());
    file.put("cdc.slott", "orders_slot");
    java.nio.file.Path path = tmp.resolve("cdc.properties");
    try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(path)) {
      file.store(w, null);
    }
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.fromArgs("--config", path.toString()), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(expected);
    // Managed Flink property groups: the typo inside the cdc group, and a bare key in the "tributary" group
    Map<String, java.util.Properties> groups = new HashMap<>();
    TestConfigs.minimal().forEach((k, v) -> {
      int dot = k.indexOf('.');
      String group = dot < 0 ? JobParameters.UNPREFIXED_GROUP : k.substring(0, dot);
      groups.computeIfAbsent(group, g -> new java.util.Properties()).put(dot < 0 ? k : k.substring(dot + 1), v);
    });
    groups.computeIfAbsent("cdc", g -> new java.util.Properties()).put("slott", "orders_slot");
    groups.computeIfAbsent(JobParameters.UNPREFIXED_GROUP, g -> new java.util.Properties()).put("paralelism", "2");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(JobParameters.flattenGroups(groups)), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining(expected)
        .hasMessageContaining("unknown option paralelism (did you mean parallelism?)");
    // Pass-through keys and the password's secret sources are not options of the job itself.
    Map<String, String> fine = TestConfigs.minimal();
    fine.put("sink.parquet.compression", "ZSTD");
    fine.put("debezium.snapshot.fetch.size", "1000");
    fine.put("postgres.password.env", "NOT_SET_HERE");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(fine), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageNotContaining("unknown option");
  }

  @Test
  void sinkOptionsAreValidatedWithTheJobsOwnAndTypedPerTable() {
    Map<String, String> p = TestConfigs.minimal();
    p.put("postgres.port", "0");
    p.put("sink.file.max-open", "0");
    p.put("sink.parquet.compresion", "zstd");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(p), TestConfigs.NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("postgres.port must be 1..65535")
        .hasMessageContaining("'sink.file.max-open' = 0: must be positive")
        .hasMessageContaining("unknown option sink.parquet.compresion (did you mean sink.parquet.compression?)");

    Map<String, String> ok = TestConfigs.minimal();
    ok.put("sink.parquet.compression", "zstd");
    ok.put("hadoop.fs.s3a.endpoint", "http://s3");
    ok.put("cdc.restore.accept-slot-ahead", "true");
    CdcJobConfig c = CdcJobConfig.from(JobParameters.of(ok), TestConfigs.NO_SECRETS);
    io.tributary.delta.DeltaSinkConfig sink = c.sinkConfig(TableName.parse("sales.items"));
    assertThat(sink.tablePath()).isEqualTo("s3a://lake/silver/sales_items");
    assertThat(sink.sinkId()).isEqualTo("cdc-job.sales.items");
    assertThat(sink.compression()).isEqualTo(io.tributary.delta.DeltaSinkOptions.Compression.ZSTD);
    assertThat(sink.hadoopConf()).containsEntry("fs.s3a.endpoint", "http://s3");
    assertThat(sink.acceptOlderCheckpoint()).isTrue();
    assertThat(c.lakeSinkConfig().tablePath()).isEqualTo("s3a://lake/silver");
  }
}
