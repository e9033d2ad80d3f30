package io.tributary.cdc.warehouse;

import io.tributary.cdc.silver.TableName;
import io.tributary.config.JobParameters;
import io.tributary.config.Secret;
import io.tributary.config.Secrets;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;

/**
 * The validated warehouse settings of a CDC job ({@link WarehouseOptions}). The password is a
 * {@link Secret} and never printed.
 */
public final class WarehouseConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  private final List<TableName> tables;
  private final String url;
  private final String user;
  private final Secret password;
  private final WarehouseDialect dialect;
  private final String schema;
  private final int batchSize;
  private final long batchIntervalMs;
  private final int maxRetries;
  private final int parallelism;
  private final String sslMode;
  private final String sslRootCert;

  private WarehouseConfig(JobParameters p, List<TableName> tables, Secret password, WarehouseDialect dialect) {
    this.tables = Collections.unmodifiableList(tables);
    this.url = p.get(WarehouseOptions.URL).trim();
    this.user = p.get(WarehouseOptions.USER).trim();
    this.password = password;
    this.dialect = dialect;
    this.schema = p.get(WarehouseOptions.SCHEMA).trim();
    this.batchSize = p.get(WarehouseOptions.BATCH_SIZE);
    this.batchIntervalMs = p.get(WarehouseOptions.BATCH_INTERVAL).toMillis();
    this.maxRetries = p.get(WarehouseOptions.MAX_RETRIES);
    this.parallelism = p.get(WarehouseOptions.PARALLELISM);
    this.sslMode = p.get(WarehouseOptions.SSLMODE).trim().toLowerCase(Locale.ROOT);
    String cert = p.raw(WarehouseOptions.SSLROOTCERT.key());
    this.sslRootCert = cert == null || cert.isBlank() ? null : cert.trim();
  }

  /** The keys this class reads (for the job's unknown-key check). */
  public static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    WarehouseOptions.ALL.forEach(o -> keys.add(o.key()));
    keys.addAll(Secrets.keysRead(WarehouseOptions.PASSWORD_KEY));
    return keys;
  }

  /**
   * Reads the warehouse settings; adds every problem to {@code problems}.
   *
   * @param captured the job's captured tables ({@code cdc.tables})
   * @return empty when {@link WarehouseOptions#TABLES} is empty (no warehouse sink) or on problems
   */
  public static Optional<WarehouseConfig> from(
      JobParameters p, Secrets secrets, List<TableName> captured, List<String> problems) {
    int before = problems.size();
    List<TableName> tables = new ArrayList<>();
    try {
      Set<TableName> seen = new LinkedHashSet<>();
      for (String t : p.get(WarehouseOptions.TABLES).split(",")) {
        if (t.isBlank()) {
          continue;
        }
        try {
          TableName name = TableName.parse(t);
          if (!seen.add(name)) {
            problems.add(WarehouseOptions.TABLES.key() + " lists " + name + " twice");
          } else if (!captured.contains(name)) {
            problems.add(WarehouseOptions.TABLES.key() + ": " + name + " is not a captured table (cdc.tables)");
          }
        } catch (IllegalArgumentException e) {
          problems.add(WarehouseOptions.TABLES.key() + ": " + e.getMessage());
        }
      }
      tables.addAll(seen);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (tables.isEmpty()) {
      return Optional.empty();
    }
    String url = p.raw(WarehouseOptions.URL.key());
    if (url == null || url.isBlank()) {
      problems.add(WarehouseOptions.URL.key() + " is required with " + WarehouseOptions.TABLES.key());
    } else if (!url.trim().startsWith("jdbc:postgresql://")) {
      problems.add(WarehouseOptions.URL.key() + " must be a jdbc:postgresql:// URL (pgjdbc also connects to Redshift)");
    }
    String user = p.raw(WarehouseOptions.USER.key());
    if (user == null || user.isBlank()) {
      problems.add(WarehouseOptions.USER.key() + " is required with " + WarehouseOptions.TABLES.key());
    }
    WarehouseDialect dialect = null;
    try {
      dialect = WarehouseDialect.named(p.get(WarehouseOptions.DIALECT));
    } catch (IllegalArgumentException e) {
      problems.add(WarehouseOptions.DIALECT.key() + ": " + e.getMessage());
    }
    try {
      String schema = p.get(WarehouseOptions.SCHEMA).trim();
      if (!IDENTIFIER.matcher(schema).matches()) {
        problems.add(WarehouseOptions.SCHEMA.key() + " must be a lower-case identifier ([a-z_][a-z0-9_]*), was '" + schema + "'");
      }
      if (p.get(WarehouseOptions.BATCH_SIZE) < 1) {
        problems.add(WarehouseOptions.BATCH_SIZE.key() + " must be at least 1");
      }
      Duration interval = p.get(WarehouseOptions.BATCH_INTERVAL);
      if (interval.isNegative()) {
        problems.add(WarehouseOptions.BATCH_INTERVAL.key() + " must not be negative");
      }
      if (p.get(WarehouseOptions.MAX_RETRIES) < 0) {
        problems.add(WarehouseOptions.MAX_RETRIES.key() + " must not be negative");
      }
      if (p.get(WarehouseOptions.PARALLELISM) < 1) {
        problems.add(WarehouseOptions.PARALLELISM.key() + " must be at least 1");
      }
      String mode = p.get(WarehouseOptions.SSLMODE).trim().toLowerCase(Locale.ROOT);
      String cert = p.raw(WarehouseOptions.SSLROOTCERT.key());
      if (!SSL_MODES.contains(mode)) {
        problems.add(WarehouseOptions.SSLMODE.key() + " must be one of " + SSL_MODES + ", was '" + mode + "'");
      } else if (mode.startsWith("verify-") && (cert == null || cert.isBlank())) {
        problems.add(WarehouseOptions.SSLMODE.key() + "=" + mode + " needs " + WarehouseOptions.SSLROOTCERT.key());
      }
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    Secret password = null;
    try {
      password = secrets.resolve(p, WarehouseOptions.PASSWORD_KEY, WarehouseOptions.PASSWORD_ENV).orElse(null);
    } catch (RuntimeException e) {
      problems.add(e.getMessage());
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new WarehouseConfig(p, tables, password, dialect));
  }

  /** The captured tables served to the warehouse. */
  public List<TableName> tables() {
    return tables;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /** The password, or null when none is configured. */
  public Secret password() {
    return password;
  }

  public WarehouseDialect dialect() {
    return dialect;
  }

  public String schema() {
    return schema;
  }

  public int parallelism() {
    return parallelism;
  }

  /** The connector's batching and retry options. */
  public JdbcExecutionOptions executionOptions() {
    return JdbcExecutionOptions.builder()
        .withBatchSize(batchSize)
        .withBatchIntervalMs(batchIntervalMs)
        .withMaxRetries(maxRetries)
        .build();
  }

  /** Connection properties, with the password; hand them to the driver only. */
  Properties connectionProperties() {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password.reveal());
    }
    props.setProperty("sslmode", sslMode);
    if (sslRootCert != null) {
      props.setProperty("sslrootcert", sslRootCert);
    }
    props.setProperty("ApplicationName", "tributary-warehouse-sink");
    props.setProperty("connectTimeout", "30");
    return props;
  }

  @Override
  public String toString() {
    return "WarehouseConfig{" + dialect + " " + user + "@" + url + ", password="
        + (password == null ? "none" : password.toString()) + ", schema=" + schema + ", tables=" + tables
        + ", batch=" + batchSize + "/" + batchIntervalMs + "ms, retries=" + maxRetries + "}";
  }
}
