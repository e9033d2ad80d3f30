package io.tributary.deploy;

import io.tributary.deploy.JobOptionKeys.Cdc;
import io.tributary.deploy.JobOptionKeys.Events;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime configuration of both jobs as Managed Flink property groups. A group {@code g} with
 * key {@code k} reaches the job as {@code g.k} (io.tributary.config.JobParameters#flattenGroups);
 * the group {@value #UNPREFIXED} keeps its keys as they are. The same flattened keys are passed as
 * {@code --key value} arguments on EMR and Kubernetes.
 */
public final class JobProperties {

  /** The property group whose keys are not prefixed (JobParameters.UNPREFIXED_GROUP). */
  public static final String UNPREFIXED = "tributary";

  private JobProperties() {}

  /** Inputs that differ per deployment target; values may be CDK tokens. */
  public record EventsInputs(String streamName, String region, String lakePath) {}

  /**
   * Inputs of the CDC job; values may be CDK tokens. {@code sslMode} and {@code sslRootCert}
   * ({@code postgres.sslmode}, {@code postgres.sslrootcert}) are left out when empty (the job's
   * default is {@code prefer}, which verifies nothing).
   */
  public record CdcInputs(
      String host, String port, String database, String user, String passwordSecretId,
      String region, String tables, String lakePath, int parallelism, String sslMode, String sslRootCert) {}

  /**
   * The cdc-job's optional warehouse sink ({@code warehouse.*}); its password is read from Secrets
   * Manager ({@code passwordSecretId}) at start. Values may be CDK tokens.
   */
  public record WarehouseInputs(String tables, String url, String user, String dialect, String schema,
      String sslMode, String passwordSecretId, String region) {}

  /** Adds the {@code warehouse} property group of the cdc-job. */
  public static Map<String, Map<String, String>> withWarehouse(Map<String, Map<String, String>> cdcGroups,
      WarehouseInputs in) {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>(cdcGroups);
    put(groups, Cdc.WAREHOUSE_TABLES, in.tables());
    put(groups, Cdc.WAREHOUSE_URL, in.url());
    put(groups, Cdc.WAREHOUSE_USER, in.user());
    put(groups, Cdc.WAREHOUSE_DIALECT, in.dialect());
    put(groups, Cdc.WAREHOUSE_SCHEMA, in.schema());
    put(groups, Cdc.WAREHOUSE_SSLMODE, in.sslMode());
    put(groups, Cdc.WAREHOUSE_PASSWORD_SECRET_ID, in.passwordSecretId());
    put(groups, Cdc.WAREHOUSE_PASSWORD_SECRET_REGION, in.region());
    put(groups, Cdc.WAREHOUSE_PASSWORD_SECRET_FIELD, "password");
    return groups;
  }

  /** Property groups of the events job (group id to key/value). */
  public static Map<String, Map<String, String>> events(EventsInputs in) {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    put(groups, Events.KINESIS_STREAM, in.streamName());
    put(groups, Events.KINESIS_REGION, in.region());
    put(groups, Events.KINESIS_INITIAL_POSITION, "TRIM_HORIZON");
    put(groups, Events.KINESIS_CONSUMER_TYPE, "POLLING");
    put(groups, Events.LAKE_PATH, in.lakePath());
    put(groups, Events.LAKE_ATOMIC_EVENTS_TABLE, "atomic_events");
    put(groups, Events.LAKE_QUARANTINE_TABLE, "atomic_events_quarantine");
    sinkOptions(groups, Events.SINK_PARQUET_COMPRESSION, Events.SINK_MANIFEST_ENABLED);
    return groups;
  }

  /** Property groups of the CDC job. */
  public static Map<String, Map<String, String>> cdc(CdcInputs in) {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    put(groups, Cdc.POSTGRES_HOST, in.host());
    put(groups, Cdc.POSTGRES_PORT, in.port());
    put(groups, Cdc.POSTGRES_DATABASE, in.database());
    put(groups, Cdc.POSTGRES_USER, in.user());
    // io.tributary.config.Secrets: the password is read from Secrets Manager at start.
    put(groups, Cdc.POSTGRES_PASSWORD_SECRET_ID, in.passwordSecretId());
    put(groups, Cdc.POSTGRES_PASSWORD_SECRET_REGION, in.region());
    put(groups, Cdc.POSTGRES_PASSWORD_SECRET_FIELD, "password");
    if (!in.sslMode().isEmpty()) {
      put(groups, Cdc.POSTGRES_SSLMODE, in.sslMode());
    }
    if (!in.sslRootCert().isEmpty()) {
      put(groups, Cdc.POSTGRES_SSLROOTCERT, in.sslRootCert());
    }
    put(groups, Cdc.CDC_TABLES, in.tables());
    put(groups, Cdc.CDC_SLOT, "tributary_cdc");
    put(groups, Cdc.CDC_PUBLICATION, "tributary_cdc");
    put(groups, Cdc.LAKE_PATH, in.lakePath());
    sinkOptions(groups, Cdc.SINK_PARQUET_COMPRESSION, Cdc.SINK_MANIFEST_ENABLED);
    put(groups, Cdc.PARALLELISM, Integer.toString(in.parallelism()));
    return groups;
  }

  private static void sinkOptions(Map<String, Map<String, String>> groups, String compression, String manifest) {
    put(groups, compression, "ZSTD");
    // Redshift Spectrum reads the tables through symlink manifests (docs/maintenance.md).
    put(groups, manifest, "true");
  }

  /**
   * Puts a job key into its property group: the part before the first dot names the group
   * ({@code postgres.password.secret-id} is key {@code password.secret-id} of group {@code
   * postgres}); a key without a dot goes to {@value #UNPREFIXED}. {@link #flatten} gives the key back.
   */
  static void put(Map<String, Map<String, String>> groups, String key, String value) {
    int dot = key.indexOf('.');
    String group = dot < 0 ? UNPREFIXED : key.substring(0, dot);
    groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(dot < 0 ? key : key.substring(dot + 1), value);
  }

  /** The keys as the job sees them (JobParameters#flattenGroups). */
  public static Map<String, String> flatten(Map<String, Map<String, String>> groups) {
    Map<String, String> result = new TreeMap<>();
    groups.forEach((group, keys) -> keys.forEach(
        (key, value) -> result.put(group.equals(UNPREFIXED) ? key : group + "." + key, value)));
    return result;
  }
}
