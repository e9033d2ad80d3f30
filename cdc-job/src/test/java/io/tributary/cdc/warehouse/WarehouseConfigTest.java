package io.tributary.cdc.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import io.tributary.config.InvalidConfigurationException;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.junit.jupiter.api.Test;

/** Validation of the warehouse.* options, alone and inside the job's configuration. */
class WarehouseConfigTest {
  private static final List<TableName> CAPTURED = List.of(TableName.parse("public.orders"), TableName.parse("shop.items"));

  private static Map<String, String> valid() {
    Map<String, String> p = new HashMap<>();
    p.put("warehouse.tables", "orders, shop.items");
    p.put("warehouse.url", "jdbc:postgresql://dwh:5432/analytics");
    p.put("warehouse.user", "loader");
    p.put("warehouse.password.env", "DWH_PASSWORD");
    return p;
  }

  private static Secrets secrets() {
    return new Secrets(k -> "DWH_PASSWORD".equals(k) ? "s3cr3t" : null, Secrets.fixed(Map.of("dwh-secret", "{\"password\":\"fromsm\"}")));
  }

  @Test
  void readsEveryOptionAndKeepsThePasswordSecret() {
    Map<String, String> p = valid();
    p.put("warehouse.dialect", "Redshift");
    p.put("warehouse.schema", "dw");
    p.put("warehouse.batch.size", "200");
    p.put("warehouse.batch.interval", "250ms");
    p.put("warehouse.max-retries", "5");
    List<String> problems = new ArrayList<>();
    WarehouseConfig c = WarehouseConfig.from(JobParameters.of(p), secrets(), CAPTURED, problems).orElseThrow();
    assertThat(problems).isEmpty();
    assertThat(c.tables()).containsExactly(TableName.parse("public.orders"), TableName.parse("shop.items"));
    assertThat(c.dialect()).hasToString("redshift");
    assertThat(c.schema()).isEqualTo("dw");
    JdbcExecutionOptions exec = c.executionOptions();
    assertThat(exec.getBatchSize()).isEqualTo(200);
    assertThat(exec.getBatchIntervalMs()).isEqualTo(250);
    assertThat(exec.getMaxRetries()).isEqualTo(5);
    assertThat(c.password().reveal()).isEqualTo("s3cr3t");
    assertThat(c.connectionProperties().getProperty("password")).isEqualTo("s3cr3t");
    assertThat(c.toString()).doesNotContain("s3cr3t").contains("env DWH_PASSWORD");
  }

  @Test
  void passwordFromSecretsManager() {
    Map<String, String> p = valid();
    p.remove("warehouse.password.env");
    p.put("warehouse.password.secret-id", "dwh-secret");
    WarehouseConfig c = WarehouseConfig.from(JobParameters.of(p), secrets(), CAPTURED, new ArrayList<>()).orElseThrow();
    assertThat(c.password().reveal()).isEqualTo("fromsm");
  }

  @Test
  void offWithoutTables() {
    List<String> problems = new ArrayList<>();
    assertThat(WarehouseConfig.from(JobParameters.of(Map.of()), secrets(), CAPTURED, problems)).isEmpty();
    assertThat(problems).isEmpty();
  }

  @Test
  void reportsEveryProblem() {
    Map<String, String> p = new HashMap<>();
    p.put("warehouse.tables", "orders, other, orders");
    p.put("warehouse.url", "jdbc:mysql://x/y");
    p.put("warehouse.dialect", "oracle");
    p.put("warehouse.schema", "Bad-Name");
    p.put("warehouse.batch.size", "0");
    p.put("warehouse.parallelism", "0");
    p.put("warehouse.sslmode", "verify-full");
    p.put("warehouse.password.env", "UNSET");
    List<String> problems = new ArrayList<>();
    assertThat(WarehouseConfig.from(JobParameters.of(p), secrets(), CAPTURED, problems)).isEmpty();
    assertThat(String.join("\n", problems))
        .contains("public.other is not a captured table")
        .contains("lists public.orders twice")
        .contains("must be a jdbc:postgresql:// URL")
        .contains("warehouse.user is required")
        .contains("unknown dialect 'oracle'")
        .contains("warehouse.schema must be a lower-case identifier")
        .contains("warehouse.batch.size must be at least 1")
        .contains("warehouse.parallelism must be at least 1")
        .contains("needs warehouse.sslrootcert")
        .contains("UNSET");
  }

  @Test
  void theJobRefusesUnknownWarehouseKeysAndCarriesTheSettings() {
    Map<String, String> p = new HashMap<>(valid());
    p.put("postgres.database", "shop");
    p.put("postgres.user", "cdc");
    p.put("lake.path", "/tmp/lake");
    p.put("cdc.tables", "public.orders,shop.items");
    CdcJobConfig config = CdcJobConfig.from(JobParameters.of(p), secrets());
    assertThat(config.warehouse()).isPresent();
    assertThat(config.toString()).doesNotContain("s3cr3t");

    p.put("warehouse.batch-size", "10");
    assertThatThrownBy(() -> CdcJobConfig.from(JobParameters.of(p), secrets()))
        .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("warehouse.batch-size");
  }
}
