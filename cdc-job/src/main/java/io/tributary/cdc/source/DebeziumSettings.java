package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.cdc.silver.TableName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Debezium PostgreSQL connector configuration the source runs with. The value formats chosen
 * here are the ones {@link ValueConverter} expects; {@code debezium.*} overrides come last.
 */
public final class DebeziumSettings {
  /** Debezium's logical server name; prefixes the record topics below. */
  public static final String TOPIC_PREFIX = "tributary";
  /** Topic of transaction BEGIN/END records ({@code provide.transaction.metadata}). */
  public static final String TRANSACTION_TOPIC = TOPIC_PREFIX + ".transaction";
  /** Topic of logical decoding messages (the heartbeat query emits one). */
  public static final String MESSAGE_TOPIC = TOPIC_PREFIX + ".message";

  private DebeziumSettings() {}

  /**
   * @param snapshot true for the initial snapshot (a job started without state), false to only
   *     stream from the slot's confirmed position (a restored job)
   */
  public static Map<String, String> forSource(CdcJobConfig config, List<TableName> tables, boolean snapshot) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    p.put("name", "tributary-cdc-" + config.slotName());
    p.put("topic.prefix", TOPIC_PREFIX);
    p.put("database.hostname", config.host());
    p.put("database.port", Integer.toString(config.port()));
    p.put("database.user", config.user());
    if (config.password() != null) {
      p.put("database.password", config.password().reveal());
    }
    p.put("database.dbname", config.database());
    p.putAll(PostgresTls.debeziumProperties(config));
    p.put("plugin.name", "pgoutput");
    p.put("slot.name", config.slotName());
    p.put("slot.drop.on.stop", "false");
    p.put("publication.name", config.publicationName());
    // The job creates the filtered publication itself (ReplicationAdmin); Debezium must not.
    p.put("publication.autocreate.mode", "disabled");
    StringBuilder include = new StringBuilder();
    for (TableName t : tables) {
      if (include.length() > 0) {
        include.append(',');
      }
      include.append(Pattern.quote(t.schema())).append("\\.").append(Pattern.quote(t.table()));
    }
    p.put("table.include.list", include.toString());
    p.put("snapshot.mode", snapshot ? "initial" : "no_data");
    // BEGIN/END records: the source emits whole transactions stamped with their commit LSN.
    p.put("provide.transaction.metadata", "true");
    p.put("decimal.handling.mode", "string");
    p.put("time.precision.mode", "adaptive_time_microseconds");
    p.put("binary.handling.mode", "bytes");
    p.put("interval.handling.mode", "string");
    p.put("tombstones.on.delete", "false");
    p.put("skipped.operations", "t");
    p.put("include.unknown.datatypes", "false");
    p.put("heartbeat.interval.ms", Long.toString(config.heartbeatInterval().toMillis()));
    if (!config.heartbeatQuery().isEmpty()) {
      p.put("heartbeat.action.query", config.heartbeatQuery());
    }
    // Failures surface to Flink, which restores the job from its last checkpoint.
    p.put("errors.max.retries", "0");
    p.put("retriable.restart.connector.wait.ms", "1000");
    p.put("slot.max.retries", "30");
    p.put("slot.retry.delay.ms", "1000");
    p.put("poll.interval.ms", "100");
    p.put("max.batch.size", "4096");
    p.put("max.queue.size", "16384");
    p.put("status.update.interval.ms", "10000");
    // Debezium names its JMX metrics after topic.prefix, which is the same for every pipeline: a
    // second cdc-job in the same TaskManager would wait a minute for the name and run without
    // metrics. The slot is unique per database, so it makes the name unique.
    p.put("custom.metric.tags", "slot=" + config.slotName());
    p.putAll(config.debeziumOverrides());
    return p;
  }
}
