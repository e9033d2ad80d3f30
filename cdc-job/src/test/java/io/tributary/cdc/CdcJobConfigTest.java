package io.tributary.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdcJobConfigTest {
  private static final Secrets NO_SECRETS = new Secrets(k -> null, Secrets.fixed(Collections.emptyMap()));

  private static Map<String, String> minimal() {
    Map<String, String> p = new HashMap<>();
    p.put("postgres.database", "shop");
    p.put("postgres.user", "cdc");
    p.put("lake.path", "s3a://lake/silver/");
    return p;
  }

  @Test
  void defaultsAndDerivedNames() {
    Map<String, String> p = minimal();
    p.put("cdc.tables", "orders, sales.items");
    p.put("cdc.event-time-columns", "orders.created_at");
    p.put("sink.parquet.compression", "zstd");
    p.put("hadoop.fs.s3a.endpoint", "http://s3");
    p.put("postgres.password", "s3cret");
    CdcJobConfig c = CdcJobConfig.from(JobParameters.of(p), NO_SECRETS);
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
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(p), NO_SECRETS))
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
    assertThat(CdcJobConfig.from(JobParameters.of(minimal()), NO_SECRETS).sslMode()).isEqualTo("prefer");
    Map<String, String> noBundle = minimal();
    noBundle.put("postgres.sslmode", "verify-full");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(noBundle), NO_SECRETS))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("postgres.sslmode=verify-full needs postgres.sslrootcert");
    Map<String, String> unknown = minimal();
    unknown.put("postgres.sslmode", "verify");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(unknown), NO_SECRETS))
        .hasMessageContaining("postgres.sslmode must be one of [disable, allow, prefer, require, verify-ca, verify-full]");
    Map<String, String> unused = minimal();
    unused.put("postgres.sslrootcert", "/etc/ca.pem");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(unused), NO_SECRETS))
        .hasMessageContaining("postgres.sslrootcert is only used with postgres.sslmode verify-ca or verify-full");

    java.nio.file.Path bundle = java.nio.file.Files.createTempFile("ca", ".pem");
    try {
      Map<String, String> p = minimal();
      p.put("postgres.sslmode", "VERIFY-FULL");
      p.put("postgres.sslrootcert", bundle.toString());
      CdcJobConfig c = CdcJobConfig.from(JobParameters.of(p), NO_SECRETS);
      assertThat(c.sslMode()).isEqualTo("verify-full");
      assertThat(DebeziumSettings.forSource(c, c.tables(), true)).containsEntry("database.sslmode", "verify-full")
          .containsEntry("database.sslrootcert", bundle.toAbsolutePath().toString());
      assertThat(PostgresTls.jdbcProperties(c)).containsEntry("sslmode", "verify-full")
          .containsEntry("sslrootcert", bundle.toAbsolutePath().toString());
      p.put("postgres.sslrootcert", bundle + ".missing");
      CdcJobConfig missing = CdcJobConfig.from(JobParameters.of(p), NO_SECRETS);
      assertThatThrownBy(() -> PostgresTls.jdbcProperties(missing))
          .hasMessageContaining("postgres.sslrootcert=" + bundle + ".missing: no readable file there");
    } finally {
      java.nio.file.Files.deleteIfExists(bundle);
    }
  }
}
