package io.tributary.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The settings of one environment's stack: the defaults of {@code environments/<name>.properties}
 * overridden by CDK context {@code <name>.<key>} (e.g. {@code -c production.kinesis.shards=8}).
 */
public final class EnvironmentConfig {

  /** The environments the app knows, in deployment order. */
  public static final List<String> ENVIRONMENTS = List.of("develop", "staging", "production");

  private final String name;
  private final Map<String, String> values;

  private EnvironmentConfig(String name, Map<String, String> values) {
    this.name = name;
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * Loads {@code name}'s defaults and applies overrides.
   *
   * @param context CDK context lookup (key to value or null)
   */
  public static EnvironmentConfig load(String name, Function<String, Object> context) {
    if (!ENVIRONMENTS.contains(name)) {
      throw new IllegalArgumentException("Unknown environment '" + name + "', expected one of " + ENVIRONMENTS);
    }
    Properties defaults = new Properties();
    String resource = "/environments/" + name + ".properties";
    try (InputStream in = EnvironmentConfig.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + resource);
      }
      defaults.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> values = new TreeMap<>();
    for (String key : defaults.stringPropertyNames()) {
      Object override = context.apply(name + "." + key);
      values.put(key, override != null ? override.toString().trim() : defaults.getProperty(key).trim());
    }
    if (context.apply(name + ".postgres.host") != null && values.get("postgres.host").isEmpty()
        && !Boolean.parseBoolean(values.get("demo-database"))) {
      // An empty override is what an unset GitHub variable becomes: without it the stack would ask for
      // the CloudFormation parameter PostgresHost, which has no default, and the deploy would fail late.
      throw new IllegalArgumentException(name + ".postgres.host is empty and " + name + " has no demo database: "
          + "set the host of the source PostgreSQL database (GitHub: the variable POSTGRES_HOST of the environment '"
          + name + "'; CLI: -c " + name + ".postgres.host=<host>), or leave the key out to pass the "
          + "CloudFormation parameter PostgresHost at deploy time");
    }
    EnvironmentConfig config = new EnvironmentConfig(name, values);
    config.postgresTls(); // fails at synth, naming the key, rather than when the cdc-job starts
    return config;
  }

  /** The cdc-job's TLS to PostgreSQL ({@code postgres.sslmode}, {@code postgres.sslrootcert}), validated. */
  public PostgresTlsSetting postgresTls() {
    return PostgresTlsSetting.of(name, get("postgres.sslmode"), get("postgres.sslrootcert"));
  }

  public String name() {
    return name;
  }

  public String get(String key) {
    String v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("No setting " + key + " for environment " + name);
    }
    return v;
  }

  public int getInt(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "." + key + " must be an integer, was '" + get(key) + "'");
    }
  }

  public boolean getBoolean(String key) {
    String v = get(key);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(name + "." + key + " must be true or false, was '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  public boolean isProduction() {
    return name.equals("production");
  }

  public Map<String, String> asMap() {
    return values;
  }
}
