package io.tributary.cdc.warehouse;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the optional warehouse sink (docs/warehouse.md). The sink is off while {@link
 * #TABLES} is empty. Besides these: {@code warehouse.password} (through {@link
 * io.tributary.config.Secrets}: {@code warehouse.password.secret-id}, {@code
 * warehouse.password.env}, the literal, or the environment variable {@code WAREHOUSE_PASSWORD}).
 */
public final class WarehouseOptions {
  private WarehouseOptions() {}

  /** The secret's key, resolved by {@link io.tributary.config.Secrets}. */
  public static final String PASSWORD_KEY = "warehouse.password";

  /** Environment variable read when no other source of the password is configured. */
  public static final String PASSWORD_ENV = "WAREHOUSE_PASSWORD";

  public static final ConfigOption<String> TABLES =
      ConfigOptions.key("warehouse.tables").stringType().defaultValue("")
          .withDescription("Comma-separated captured tables (schema.table, from cdc.tables) whose current state is "
              + "upserted into the warehouse; empty: no warehouse sink. Each needs a primary key.");

  public static final ConfigOption<String> URL =
      ConfigOptions.key("warehouse.url").stringType().noDefaultValue()
          .withDescription("JDBC URL of the warehouse, jdbc:postgresql://host:port/database (also for Amazon Redshift, "
              + "which speaks the PostgreSQL protocol). Required with warehouse.tables.");

  public static final ConfigOption<String> USER =
      ConfigOptions.key("warehouse.user").stringType().noDefaultValue()
          .withDescription("Warehouse user: CREATE on warehouse.schema (the sink creates its tables and views and "
              + "adds columns), INSERT/UPDATE/SELECT on its tables. Required with warehouse.tables.");

  public static final ConfigOption<String> DIALECT =
      ConfigOptions.key("warehouse.dialect").stringType().defaultValue("postgres")
          .withDescription("SQL of the warehouse: postgres (INSERT ... ON CONFLICT) or redshift (MERGE from a staging "
              + "table). Both guard every write by the source position.");

  public static final ConfigOption<String> SCHEMA =
      ConfigOptions.key("warehouse.schema").stringType().defaultValue("public")
          .withDescription("Warehouse schema of the tables; created when absent. Table <t> of the source is "
              + "<schema>.<t> (outside source schema public: <source schema>_<t>), its view without deletes "
              + "<schema>.<t>_current.");

  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOptions.key("warehouse.batch.size").intType().defaultValue(500)
          .withDescription("Changes per JDBC batch (JdbcExecutionOptions batchSize); a batch is also written at "
              + "every checkpoint and every warehouse.batch.interval.");

  public static final ConfigOption<Duration> BATCH_INTERVAL =
      ConfigOptions.key("warehouse.batch.interval").durationType().defaultValue(Duration.ofSeconds(1))
          .withDescription("Longest time a change waits in a batch (JdbcExecutionOptions batchIntervalMs); 0: only "
              + "by size and at checkpoints.");

  public static final ConfigOption<Integer> MAX_RETRIES =
      ConfigOptions.key("warehouse.max-retries").intType().defaultValue(3)
          .withDescription("Retries of a failed batch, reconnecting when the connection broke (JdbcExecutionOptions "
              + "maxRetries); then the job fails over. Retrying is safe: every write is guarded by the position.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("warehouse.parallelism").intType().defaultValue(1)
          .withDescription("Writers per warehouse table; changes are keyed by primary key, so one writer owns a key.");

  public static final ConfigOption<String> SSLMODE =
      ConfigOptions.key("warehouse.sslmode").stringType().defaultValue("prefer")
          .withDescription("pgjdbc sslmode of the warehouse connection (disable, allow, prefer, require, verify-ca, "
              + "verify-full). Production: verify-full with warehouse.sslrootcert.");

  public static final ConfigOption<String> SSLROOTCERT =
      ConfigOptions.key("warehouse.sslrootcert").stringType().noDefaultValue()
          .withDescription("Local PEM file of the CA certificates that sign the warehouse's certificate "
              + "(verify-ca, verify-full).");

  /** Every option above: the keys of the warehouse. namespace the job knows. */
  public static final List<ConfigOption<?>> ALL =
      List.of(TABLES, URL, USER, DIALECT, SCHEMA, BATCH_SIZE, BATCH_INTERVAL, MAX_RETRIES, PARALLELISM, SSLMODE,
          SSLROOTCERT);
}
