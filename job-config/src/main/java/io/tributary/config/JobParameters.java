package io.tributary.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The flat {@code key -> value} parameters of a job, wherever the job runs.
 *
 * <ul>
 *   <li>Locally and with {@code flink run}: {@link #fromArgs} reads {@code --key value} or
 *       {@code --key=value} arguments, and {@code --config <file>} properties files (later
 *       sources override earlier ones, arguments override files).
 *   <li>On Amazon Managed Service for Apache Flink: {@link #load} also reads the application's
 *       runtime properties. Each property group is a key prefix: key {@code hostname} of group
 *       {@code postgres} becomes {@code postgres.hostname}. Keys of the group named {@value
 *       #UNPREFIXED_GROUP} keep their names.
 * </ul>
 *
 * <p>Parameters carry no types; each job reads them through its typed {@link ConfigOption}s
 * ({@link #get}) and validates them in one place. {@link #toString()} hides secret-looking values.
 */
public final class JobParameters {

  /** The Managed Flink property group whose keys are used without a prefix. */
  public static final String UNPREFIXED_GROUP = "tributary";

  private final Map<String, String> values;

  private JobParameters(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static JobParameters of(Map<String, String> values) {
    return new JobParameters(values);
  }

  /** Starts parameters built from typed options: how a platform (cli, tests) configures a job. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects typed values by their options, so that keys and value syntax come from the options
   * (a {@code Duration} is written in the syntax its option reads, and read back equal).
   */
  public static final class Builder {
    private final Map<String, String> values = new TreeMap<>();

    private Builder() {}

    public <T> Builder set(ConfigOption<T> option, T value) {
      values.put(option.key(), format(option, value));
      return this;
    }

    /**
     * An option of another component handed on under {@code prefix}, e.g. a Delta sink option
     * under {@link LakeOptions#SINK_PREFIX}.
     */
    public <T> Builder set(String prefix, ConfigOption<T> option, T value) {
      values.put(prefix + option.key(), format(option, value));
      return this;
    }

    /** A key without a typed option, e.g. a secret's source ({@link Secrets#envKey}). */
    public Builder setRaw(String key, String value) {
      values.put(key, value);
      return this;
    }

    public JobParameters build() {
      return new JobParameters(values);
    }

    private static <T> String format(ConfigOption<T> option, T value) {
      Configuration c = new Configuration();
      c.set(option, value);
      return c.toMap().get(option.key());
    }
  }

  /**
   * Parses {@code --key value}, {@code --key=value} and {@code --config <file.properties>}.
   *
   * @throws InvalidConfigurationException for a dangling key, a non-option argument or an
   *     unreadable file
   */
  public static JobParameters fromArgs(String... args) {
    Map<String, String> result = new TreeMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new InvalidConfigurationException("Unexpected argument '" + arg + "': use --key value or --key=value");
      }
      String key;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        key = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        key = arg.substring(2);
        if (i + 1 >= args.length) {
          throw new InvalidConfigurationException("Missing value for --" + key);
        }
        value = args[++i];
      }
      if (key.equals("config")) {
        result.putAll(readProperties(Paths.get(value)));
      } else {
        result.put(key, value);
      }
    }
    return new JobParameters(result);
  }

  /**
   * The job's parameters: Managed Flink runtime properties when running there, overridden by
   * {@code args}.
   */
  public static JobParameters load(String... args) {
    Map<String, String> result = new TreeMap<>(ManagedFlinkProperties.read());
    result.putAll(fromArgs(args).values);
    return new JobParameters(result);
  }

  /** Flattens Managed Flink property groups as described in the class comment. */
  public static Map<String, String> flattenGroups(Map<String, Properties> groups) {
    Map<String, String> result = new TreeMap<>();
    groups.forEach((group, properties) -> properties.stringPropertyNames().forEach(key -> {
      String name = group.equals(UNPREFIXED_GROUP) ? key : group + "." + key;
      result.put(name, properties.getProperty(key));
    }));
    return result;
  }

  static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new InvalidConfigurationException("Cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> result = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> result.put(k, properties.getProperty(k).trim()));
    return result;
  }

  /** The typed value of {@code option}, or its default; a malformed value fails naming the key. */
  public <T> T get(ConfigOption<T> option) {
    try {
      return toConfiguration().get(option);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(
          "Invalid value '" + values.get(option.key()) + "' for " + option.key() + ": " + e.getMessage());
    }
  }

  public boolean contains(String key) {
    return values.containsKey(key);
  }

  /** The raw value or null. */
  public String raw(String key) {
    return values.get(key);
  }

  /** Every key starting with {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix) && k.length() > prefix.length()) {
        result.put(k.substring(prefix.length()), v);
      }
    });
    return result;
  }

  /** A copy with {@code overrides} applied. */
  public JobParameters with(Map<String, String> overrides) {
    Map<String, String> result = new TreeMap<>(values);
    result.putAll(overrides);
    return new JobParameters(result);
  }

  public Map<String, String> asMap() {
    return values;
  }

  public Configuration toConfiguration() {
    return Configuration.fromMap(values);
  }

  /** True for keys whose values must never be printed. */
  public static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return (k.contains("password") || k.contains("secret") || k.contains("token") || k.endsWith("key"))
        && !k.endsWith(".env") && !k.endsWith("secret-id") && !k.endsWith("partition-key");
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    values.forEach((k, v) -> {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(k).append('=').append(isSecretKey(k) ? "******" : v);
    });
    return b.append('}').toString();
  }

  /**
   * Reads Managed Flink's runtime properties, or nothing when not running there. Managed Flink is
   * recognised by its properties file; there, a missing runtime library or an unreadable file
   * fails the job instead of running it without its properties.
   */
  static final class ManagedFlinkProperties {
    /** Where Managed Flink puts them (the runtime library's own {@code config.properties}). */
    static final Path FILE = Paths.get("/etc/flink/application_properties.json");

    /** Reads a properties file as {@code KinesisAnalyticsRuntime} does; may fail to link. */
    interface Reader {
      Map<String, Properties> read(String file) throws IOException;
    }

    private ManagedFlinkProperties() {}

    static Map<String, String> read() {
      return read(FILE);
    }

    static Map<String, String> read(Path file) {
      return read(file, Runtime::read);
    }

    static Map<String, String> read(Path file, Reader runtime) {
      if (!Files.exists(file)) {
        return Map.of(); // not on Managed Flink
      }
      try {
        return flattenGroups(runtime.read(file.toString()));
      } catch (NoClassDefFoundError e) {
        throw new InvalidConfigurationException("Running on Managed Flink (" + file + " exists) but the job jar lacks"
            + " aws-kinesisanalytics-runtime (" + e.getMessage() + "), so its runtime properties cannot be read;"
            + " build the jar with the library bundled");
      } catch (IOException | RuntimeException e) {
        throw new InvalidConfigurationException("Cannot read Managed Flink runtime properties from " + file + ": " + e);
      }
    }

    /** Links to the runtime library only when called. */
    private static final class Runtime {
      static Map<String, Properties> read(String file) throws IOException {
        return com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime.getApplicationProperties(file);
      }
    }
  }
}
