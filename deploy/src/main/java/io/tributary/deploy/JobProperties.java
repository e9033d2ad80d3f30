package io.tributary.deploy;

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
    Map<String, String> w = new LinkedHashMap<>();
    w.put("tables", in.tables());
    w.put("url", in.url());
    w.put("user", in.user());
    w.put("dialect", in.dialect());
    w.put("schema", in.schema());
    w.put("sslmode", in.sslMode());
    w.put("password.secret-id", in.passwordSecretId());
    w.put("password.secret-region", in.region());
    w.put("password.secret-field", "password");
    Map<String, Map<String, String>> groups = new LinkedHashMap<>(cdcGroups);
    groups.put("warehouse", w);
    return groups;
  }

  /** Property groups of the events job (group id to key/value). */
  public static Map<String, Map<String, String>> events(EventsInputs in) {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    Map<String, String> kinesis = new LinkedHashMap<>();
    kinesis.put("stream", in.streamName());
    kinesis.put("region", in.region());
    kinesis.put("initial-position", "TRIM_HORIZON");
    kinesis.put("consumer-type", "POLLING");
    groups.put("kinesis", kinesis);
    Map<String, String> lake = new LinkedHashMap<>();
    lake.put("path", in.lakePath());
    lake.put("atomic-events-table", "atomic_events");
    lake.put("quarantine-table", "atomic_events_quarantine");
    groups.put("lake", lake);
    groups.put("sink", sinkOptions());
    return groups;
  }

  /** Property groups of the CDC job. */
  public static Map<String, Map<String, String>> cdc(CdcInputs in) {
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    Map<String, String> postgres = new LinkedHashMap<>();
    postgres.put("host", in.host());
    postgres.put("port", in.port());
    postgres.put("database", in.database());
    postgres.put("user", in.user());
    // io.tributary.config.Secrets: the password is read from Secrets Manager at start.
    postgres.put("password.secret-id", in.passwordSecretId());
    postgres.put("password.secret-region", in.region());
    postgres.put("password.secret-field", "password");
    if (!in.sslMode().isEmpty()) {
      postgres.put("sslmode", in.sslMode());
    }
    if (!in.sslRootCert().isEmpty()) {
      postgres.put("sslrootcert", in.sslRootCert());
    }
    groups.put("postgres", postgres);
    Map<String, String> cdc = new LinkedHashMap<>();
    cdc.put("tables", in.tables());
    cdc.put("slot", "tributary_cdc");
    cdc.put("publication", "tributary_cdc");
    groups.put("cdc", cdc);
    Map<String, String> lake = new LinkedHashMap<>();
    lake.put("path", in.lakePath());
    groups.put("lake", lake);
    groups.put("sink", sinkOptions());
    Map<String, String> unprefixed = new LinkedHashMap<>();
    unprefixed.put("parallelism", Integer.toString(in.parallelism()));
    groups.put(UNPREFIXED, unprefixed);
    return groups;
  }

  private static Map<String, String> sinkOptions() {
    Map<String, String> sink = new LinkedHashMap<>();
    sink.put("parquet.compression", "ZSTD");
    // Redshift Spectrum reads the tables through symlink manifests (docs/maintenance.md).
    sink.put("manifest.enabled", "true");
    return sink;
  }

  /** The keys as the job sees them (JobParameters#flattenGroups). */
  public static Map<String, String> flatten(Map<String, Map<String, String>> groups) {
    Map<String, String> result = new TreeMap<>();
    groups.forEach((group, keys) -> keys.forEach(
        (key, value) -> result.put(group.equals(UNPREFIXED) ? key : group + "." + key, value)));
    return result;
  }
}
