package io.tributary.cdc.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * Every option of the CDC job (generated reference: docs/options.md). Besides these: the
 * password's source keys ({@link #POSTGRES_PASSWORD}), the checkpoint options of {@link
 * io.tributary.config.CheckpointOptions}, and, with the prefixes of {@link
 * io.tributary.config.LakeOptions}, {@code sink.*} (Delta sink options), {@code hadoop.*}
 * (Hadoop/S3A configuration) and {@code table.property.*} (Delta table properties); {@code
 * debezium.*} (Debezium connector overrides).
 */
public final class CdcJobOptions {
  private CdcJobOptions() {}

  public static final ConfigOption<String> POSTGRES_HOST =
      ConfigOptions.key("postgres.host").stringType().defaultValue("localhost")
          .withDescription("PostgreSQL host.");

  public static final ConfigOption<Integer> POSTGRES_PORT =
      ConfigOptions.key("postgres.port").intType().defaultValue(5432)
          .withDescription("PostgreSQL port.");

  public static final ConfigOption<String> POSTGRES_DATABASE =
      ConfigOptions.key("postgres.database").stringType().noDefaultValue()
          .withDescription("Database holding the captured tables (required).");

  public static final ConfigOption<String> POSTGRES_USER =
      ConfigOptions.key("postgres.user").stringType().noDefaultValue()
          .withDescription("User with the REPLICATION attribute and SELECT on the captured tables (required).");

  /**
   * Read through {@link io.tributary.config.Secrets}, never with {@code get}: from {@code
   * postgres.password.secret-id} (AWS Secrets Manager), {@code postgres.password.env}, the literal,
   * or {@code PGPASSWORD}.
   */
  public static final ConfigOption<String> POSTGRES_PASSWORD =
      ConfigOptions.key("postgres.password").stringType().noDefaultValue()
          .withDescription("Password of postgres.user; none for trust authentication. Prefer "
              + "postgres.password.secret-id=<Secrets Manager secret> (with postgres.password.secret-region and "
              + "postgres.password.secret-field, default password) or postgres.password.env=<VARIABLE>; the "
              + "literal value is for local use only. Default: the PGPASSWORD variable.");

  public static final ConfigOption<String> POSTGRES_SSLMODE =
      ConfigOptions.key("postgres.sslmode").stringType().defaultValue("prefer")
          .withDescription("TLS of every PostgreSQL session (replication and queries), as in libpq: disable, allow, "
              + "prefer, require, verify-ca, verify-full. Production: verify-full with postgres.sslrootcert (for RDS, "
              + "the RDS CA bundle): only verify-full checks both the certificate chain and the host name. The "
              + "default prefer encrypts when the server offers TLS but accepts any certificate.");

  public static final ConfigOption<String> POSTGRES_SSLROOTCERT =
      ConfigOptions.key("postgres.sslrootcert").stringType().noDefaultValue()
          .withDescription("PEM file of the CA certificates that sign the server's certificate (required for "
              + "verify-ca and verify-full): a local path, classpath:<resource> (a file packed into the job jar), "
              + "or a Hadoop file system URI such as s3://bucket/certs/global-bundle.pem (read with the job's "
              + "hadoop.* options), copied to a local file at start.");

  public static final ConfigOption<String> TABLES =
      ConfigOptions.key("cdc.tables").stringType().defaultValue("public.orders")
          .withDescription("Comma-separated tables to capture, schema.table (schema defaults to public).");

  public static final ConfigOption<String> SLOT_NAME =
      ConfigOptions.key("cdc.slot").stringType().defaultValue("tributary_cdc")
          .withDescription("Logical replication slot of this job (pgoutput). One job, one slot.");

  public static final ConfigOption<String> PUBLICATION_NAME =
      ConfigOptions.key("cdc.publication").stringType().defaultValue("tributary_cdc")
          .withDescription("Publication of the captured tables; created FOR TABLE <tables> when absent.");

  public static final ConfigOption<Boolean> PUBLICATION_CREATE =
      ConfigOptions.key("cdc.publication.create").booleanType().defaultValue(true)
          .withDescription("Create the publication when absent (needs CREATE on the database and table ownership); "
              + "false: it must exist and include every captured table.");

  public static final ConfigOption<String> EVENT_TIME_COLUMNS =
      ConfigOptions.key("cdc.event-time-columns").stringType().defaultValue("")
          .withDescription("Comma-separated table.column (or schema.table.column) whose UTC date is event_date; "
              + "tables not listed (or null values) use the source commit timestamp. Column type: "
              + "timestamp, timestamptz or date.");

  public static final ConfigOption<Duration> HEARTBEAT_INTERVAL =
      ConfigOptions.key("cdc.heartbeat.interval").durationType().defaultValue(Duration.ofSeconds(10))
          .withDescription("Debezium heartbeat interval; with the heartbeat query it lets the slot advance "
              + "while the captured tables are idle.");

  public static final ConfigOption<String> HEARTBEAT_QUERY =
      ConfigOptions.key("cdc.heartbeat.query").stringType()
          .defaultValue("SELECT pg_logical_emit_message(false, 'tributary-heartbeat', now()::text)")
          .withDescription("SQL run at every heartbeat to create WAL traffic the slot sees; empty to disable.");

  /**
   * Root of the silver tables (shared with events-job: {@link io.tributary.config.LakeOptions}); table
   * {@code <t>} goes to {@code <lake.path>/<t>}, a table outside schema public to {@code
   * <lake.path>/<schema>_<t>}.
   */
  public static final ConfigOption<String> LAKE_PATH = io.tributary.config.LakeOptions.LAKE_PATH;

  public static final ConfigOption<String> SINK_ID_PREFIX =
      ConfigOptions.key("cdc.sink-id-prefix").stringType().defaultValue("cdc-job")
          .withDescription("Delta sink ids are <prefix>.<schema>.<table>; keep stable across upgrades.");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOptions.key("parallelism").intType().defaultValue(1)
          .withDescription("Parallelism of the Delta writers. The replication slot is read by one task; "
              + "above 1 rows are shipped to writers over the network.");

  public static final ConfigOption<Boolean> RESTORE_ACCEPT_SLOT_AHEAD =
      ConfigOptions.key("cdc.restore.accept-slot-ahead").booleanType().defaultValue(false)
          .withDescription("A job restored from state older than its replication slot (an older checkpoint or "
              + "savepoint, e.g. an automatic rollback) refuses to start, because the changes in between cannot be "
              + "read again. true: start anyway, taking the changes up to the slot's position as already in the "
              + "silver tables. Set it for one restart only, after checking that; see docs/reliability.md.");

  public static final ConfigOption<MemorySize> TRANSACTION_BUFFER_MEMORY =
      ConfigOptions.key("cdc.transaction.buffer-memory").memoryType().defaultValue(MemorySize.ofMebiBytes(32))
          .withDescription("Heap a source transaction's changes may take (serialized) while the source waits for "
              + "its commit; beyond it they are appended to a spill file in the TaskManager's io.tmp.dirs and "
              + "read back in order at the commit, so a transaction of any size fits in a bounded heap. The "
              + "local disk needs room for the largest transaction (about the size of its changes in the "
              + "network format). At least 1 KiB.");

  public static final ConfigOption<String> UID_PREFIX =
      ConfigOptions.key("cdc.uid-prefix").stringType().defaultValue("cdc")
          .withDescription("Prefix of the operator uids (state compatibility across upgrades).");

  /** Every option above, in order: the keys the job knows (see {@link CdcJobConfig}). */
  public static final java.util.List<ConfigOption<?>> ALL = java.util.List.of(
      POSTGRES_HOST,
      POSTGRES_PORT,
      POSTGRES_DATABASE,
      POSTGRES_USER,
      POSTGRES_PASSWORD,
      POSTGRES_SSLMODE,
      POSTGRES_SSLROOTCERT,
      TABLES,
      SLOT_NAME,
      PUBLICATION_NAME,
      PUBLICATION_CREATE,
      EVENT_TIME_COLUMNS,
      HEARTBEAT_INTERVAL,
      HEARTBEAT_QUERY,
      LAKE_PATH,
      SINK_ID_PREFIX,
      PARALLELISM,
      RESTORE_ACCEPT_SLOT_AHEAD,
      TRANSACTION_BUFFER_MEMORY,
      UID_PREFIX);
}
