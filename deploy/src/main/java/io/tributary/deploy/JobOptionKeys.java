package io.tributary.deploy;

/**
 * The keys each job accepts, generated from the jobs' option classes by cli's OptionReference (with
 * docs/options.md and docs/options.json). Do not edit: OptionReferenceTest fails when this file is
 * out of date; regenerate it with
 * {@code ./mvnw -B -ntp -q -pl cli -am verify -Dtest=OptionReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.options.write=true}.
 * The CDK app and the EMR steps build the jobs' parameters from these constants: they cannot
 * depend on the jobs (they build and run without Flink).
 */
public final class JobOptionKeys {
  private JobOptionKeys() {}

  /** Keys of the cdc-job. */
  public static final class Cdc {
    private Cdc() {}

    public static final String CDC_EVENT_TIME_COLUMNS = "cdc.event-time-columns";
    public static final String CDC_HEARTBEAT_INTERVAL = "cdc.heartbeat.interval";
    public static final String CDC_HEARTBEAT_QUERY = "cdc.heartbeat.query";
    public static final String CDC_PUBLICATION = "cdc.publication";
    public static final String CDC_PUBLICATION_CREATE = "cdc.publication.create";
    public static final String CDC_RESTORE_ACCEPT_SLOT_AHEAD = "cdc.restore.accept-slot-ahead";
    public static final String CDC_SINK_ID_PREFIX = "cdc.sink-id-prefix";
    public static final String CDC_SLOT = "cdc.slot";
    public static final String CDC_TABLES = "cdc.tables";
    public static final String CDC_TRANSACTION_BUFFER_MEMORY = "cdc.transaction.buffer-memory";
    public static final String CDC_UID_PREFIX = "cdc.uid-prefix";
    public static final String CHECKPOINT_INTERVAL = "checkpoint.interval";
    public static final String CHECKPOINT_MIN_PAUSE = "checkpoint.min-pause";
    public static final String CHECKPOINT_TIMEOUT = "checkpoint.timeout";
    public static final String CHECKPOINT_TOLERABLE_FAILURES = "checkpoint.tolerable-failures";
    public static final String LAKE_PATH = "lake.path";
    public static final String PARALLELISM = "parallelism";
    public static final String POSTGRES_DATABASE = "postgres.database";
    public static final String POSTGRES_HOST = "postgres.host";
    public static final String POSTGRES_PASSWORD = "postgres.password";
    public static final String POSTGRES_PASSWORD_ENV = "postgres.password.env";
    public static final String POSTGRES_PASSWORD_SECRET_FIELD = "postgres.password.secret-field";
    public static final String POSTGRES_PASSWORD_SECRET_ID = "postgres.password.secret-id";
    public static final String POSTGRES_PASSWORD_SECRET_REGION = "postgres.password.secret-region";
    public static final String POSTGRES_PORT = "postgres.port";
    public static final String POSTGRES_SSLMODE = "postgres.sslmode";
    public static final String POSTGRES_SSLROOTCERT = "postgres.sslrootcert";
    public static final String POSTGRES_USER = "postgres.user";
    public static final String SINK_COMMIT_MAX_RETRIES = "sink.commit.max-retries";
    public static final String SINK_FILE_MAX_OPEN = "sink.file.max-open";
    public static final String SINK_FILE_TARGET_SIZE = "sink.file.target-size";
    public static final String SINK_LOG_CHECKPOINT_INTERVAL = "sink.log.checkpoint-interval";
    public static final String SINK_MAINTENANCE_COMMIT_INTERVAL = "sink.maintenance.commit-interval";
    public static final String SINK_MAINTENANCE_COMPACTION_COMMIT_RETRIES = "sink.maintenance.compaction.commit-retries";
    public static final String SINK_MAINTENANCE_COMPACTION_MAX_INPUT_BYTES = "sink.maintenance.compaction.max-input-bytes";
    public static final String SINK_MAINTENANCE_COMPACTION_MAX_PARTITIONS = "sink.maintenance.compaction.max-partitions";
    public static final String SINK_MAINTENANCE_COMPACTION_MIN_FILES = "sink.maintenance.compaction.min-files";
    public static final String SINK_MAINTENANCE_COMPACTION_MIN_SMALL_BYTES = "sink.maintenance.compaction.min-small-bytes";
    public static final String SINK_MAINTENANCE_COMPACTION_SMALL_FILE_SIZE = "sink.maintenance.compaction.small-file-size";
    public static final String SINK_MAINTENANCE_COMPACTION_TARGET_FILE_SIZE = "sink.maintenance.compaction.target-file-size";
    public static final String SINK_MAINTENANCE_ENABLED = "sink.maintenance.enabled";
    public static final String SINK_MAINTENANCE_VACUUM_INTERVAL = "sink.maintenance.vacuum.interval";
    public static final String SINK_MAINTENANCE_VACUUM_RETENTION = "sink.maintenance.vacuum.retention";
    public static final String SINK_MANIFEST_ENABLED = "sink.manifest.enabled";
    public static final String SINK_PARQUET_COMPRESSION = "sink.parquet.compression";
    public static final String SINK_PARQUET_PAGE_SIZE = "sink.parquet.page-size";
    public static final String SINK_PARQUET_ROW_GROUP_SIZE = "sink.parquet.row-group-size";
    public static final String SINK_PARTITION_COLUMNS = "sink.partition.columns";
    public static final String SINK_RESTORE_ACCEPT_OLDER_CHECKPOINT = "sink.restore.accept-older-checkpoint";
    public static final String SINK_SCHEMA_EVOLUTION = "sink.schema.evolution";
    public static final String SINK_SINK_ID = "sink.sink.id";
    public static final String SINK_STATS_NUM_INDEXED_COLS = "sink.stats.num-indexed-cols";
    public static final String SINK_STATS_STRING_PREFIX_LENGTH = "sink.stats.string-prefix-length";
    public static final String SINK_TABLE_PATH = "sink.table.path";
    public static final String WAREHOUSE_BATCH_INTERVAL = "warehouse.batch.interval";
    public static final String WAREHOUSE_BATCH_SIZE = "warehouse.batch.size";
    public static final String WAREHOUSE_DIALECT = "warehouse.dialect";
    public static final String WAREHOUSE_MAX_RETRIES = "warehouse.max-retries";
    public static final String WAREHOUSE_PARALLELISM = "warehouse.parallelism";
    public static final String WAREHOUSE_PASSWORD = "warehouse.password";
    public static final String WAREHOUSE_PASSWORD_ENV = "warehouse.password.env";
    public static final String WAREHOUSE_PASSWORD_SECRET_FIELD = "warehouse.password.secret-field";
    public static final String WAREHOUSE_PASSWORD_SECRET_ID = "warehouse.password.secret-id";
    public static final String WAREHOUSE_PASSWORD_SECRET_REGION = "warehouse.password.secret-region";
    public static final String WAREHOUSE_SCHEMA = "warehouse.schema";
    public static final String WAREHOUSE_SSLMODE = "warehouse.sslmode";
    public static final String WAREHOUSE_SSLROOTCERT = "warehouse.sslrootcert";
    public static final String WAREHOUSE_TABLES = "warehouse.tables";
    public static final String WAREHOUSE_URL = "warehouse.url";
    public static final String WAREHOUSE_USER = "warehouse.user";
  }

  /** Keys of the events-job. */
  public static final class Events {
    private Events() {}

    public static final String CHECKPOINT_INTERVAL = "checkpoint.interval";
    public static final String CHECKPOINT_MIN_PAUSE = "checkpoint.min-pause";
    public static final String CHECKPOINT_TIMEOUT = "checkpoint.timeout";
    public static final String CHECKPOINT_TOLERABLE_FAILURES = "checkpoint.tolerable-failures";
    public static final String EVENTS_DEDUP_SCOPE = "events.dedup-scope";
    public static final String EVENTS_DEDUP_WINDOW = "events.dedup-window";
    public static final String EVENTS_MAX_EVENT_AGE = "events.max-event-age";
    public static final String EVENTS_MAX_FUTURE_SKEW = "events.max-future-skew";
    public static final String EVENTS_MAX_PAYLOAD_BYTES = "events.max-payload-bytes";
    public static final String EVENTS_PARALLELISM = "events.parallelism";
    public static final String KINESIS_ACCESS_KEY_ID = "kinesis.access-key-id";
    public static final String KINESIS_CONSUMER_TYPE = "kinesis.consumer-type";
    public static final String KINESIS_EFO_CONSUMER_NAME = "kinesis.efo.consumer-name";
    public static final String KINESIS_EFO_REGISTRATION = "kinesis.efo.registration";
    public static final String KINESIS_ENDPOINT = "kinesis.endpoint";
    public static final String KINESIS_INITIAL_POSITION = "kinesis.initial-position";
    public static final String KINESIS_INITIAL_TIMESTAMP = "kinesis.initial-timestamp";
    public static final String KINESIS_POLLING_INTERVAL = "kinesis.polling.interval";
    public static final String KINESIS_POLLING_MAX_RECORDS = "kinesis.polling.max-records";
    public static final String KINESIS_REGION = "kinesis.region";
    public static final String KINESIS_SECRET_ACCESS_KEY = "kinesis.secret-access-key";
    public static final String KINESIS_SECRET_ACCESS_KEY_ENV = "kinesis.secret-access-key.env";
    public static final String KINESIS_SECRET_ACCESS_KEY_SECRET_FIELD = "kinesis.secret-access-key.secret-field";
    public static final String KINESIS_SECRET_ACCESS_KEY_SECRET_ID = "kinesis.secret-access-key.secret-id";
    public static final String KINESIS_SECRET_ACCESS_KEY_SECRET_REGION = "kinesis.secret-access-key.secret-region";
    public static final String KINESIS_SHARD_DISCOVERY_INTERVAL = "kinesis.shard-discovery-interval";
    public static final String KINESIS_STREAM = "kinesis.stream";
    public static final String LAKE_ATOMIC_EVENTS_TABLE = "lake.atomic-events-table";
    public static final String LAKE_PATH = "lake.path";
    public static final String LAKE_QUARANTINE_TABLE = "lake.quarantine-table";
    public static final String SINK_COMMIT_MAX_RETRIES = "sink.commit.max-retries";
    public static final String SINK_FILE_MAX_OPEN = "sink.file.max-open";
    public static final String SINK_FILE_TARGET_SIZE = "sink.file.target-size";
    public static final String SINK_LOG_CHECKPOINT_INTERVAL = "sink.log.checkpoint-interval";
    public static final String SINK_MAINTENANCE_COMMIT_INTERVAL = "sink.maintenance.commit-interval";
    public static final String SINK_MAINTENANCE_COMPACTION_COMMIT_RETRIES = "sink.maintenance.compaction.commit-retries";
    public static final String SINK_MAINTENANCE_COMPACTION_MAX_INPUT_BYTES = "sink.maintenance.compaction.max-input-bytes";
    public static final String SINK_MAINTENANCE_COMPACTION_MAX_PARTITIONS = "sink.maintenance.compaction.max-partitions";
    public static final String SINK_MAINTENANCE_COMPACTION_MIN_FILES = "sink.maintenance.compaction.min-files";
    public static final String SINK_MAINTENANCE_COMPACTION_MIN_SMALL_BYTES = "sink.maintenance.compaction.min-small-bytes";
    public static final String SINK_MAINTENANCE_COMPACTION_SMALL_FILE_SIZE = "sink.maintenance.compaction.small-file-size";
    public static final String SINK_MAINTENANCE_COMPACTION_TARGET_FILE_SIZE = "sink.maintenance.compaction.target-file-size";
    public static final String SINK_MAINTENANCE_ENABLED = "sink.maintenance.enabled";
    public static final String SINK_MAINTENANCE_VACUUM_INTERVAL = "sink.maintenance.vacuum.interval";
    public static final String SINK_MAINTENANCE_VACUUM_RETENTION = "sink.maintenance.vacuum.retention";
    public static final String SINK_MANIFEST_ENABLED = "sink.manifest.enabled";
    public static final String SINK_PARQUET_COMPRESSION = "sink.parquet.compression";
    public static final String SINK_PARQUET_PAGE_SIZE = "sink.parquet.page-size";
    public static final String SINK_PARQUET_ROW_GROUP_SIZE = "sink.parquet.row-group-size";
    public static final String SINK_PARTITION_COLUMNS = "sink.partition.columns";
    public static final String SINK_RESTORE_ACCEPT_OLDER_CHECKPOINT = "sink.restore.accept-older-checkpoint";
    public static final String SINK_SCHEMA_EVOLUTION = "sink.schema.evolution";
    public static final String SINK_SINK_ID = "sink.sink.id";
    public static final String SINK_STATS_NUM_INDEXED_COLS = "sink.stats.num-indexed-cols";
    public static final String SINK_STATS_STRING_PREFIX_LENGTH = "sink.stats.string-prefix-length";
    public static final String SINK_TABLE_PATH = "sink.table.path";
  }
}
