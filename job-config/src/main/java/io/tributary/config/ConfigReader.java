package io.tributary.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;

/**
 * Reads a job's parameters and collects every problem instead of failing on the first, so a user
 * fixes them all in one round: typed values (a malformed one becomes a problem, never an
 * exception), required options, checks, secrets (resolved through {@link Secrets}; no message
 * shows a secret's value) and unknown keys ({@link UnknownKeys}, with "did you mean"). The same for
 * every configuration source: arguments, properties files and Managed Flink property groups all
 * arrive as {@link JobParameters}.
 *
 * <pre>{@code
 * ConfigReader r = new ConfigReader(params);
 * r.rejectUnknownKeys(KEYS, "CdcJobOptions");
 * int port = r.get(POSTGRES_PORT, 5432);
 * r.check(port >= 1 && port <= 65535, POSTGRES_PORT.key() + " must be 1..65535, was " + port);
 * r.throwIfAny("cdc-job");
 * }</pre>
 */
public final class ConfigReader {
  private final JobParameters params;
  private final List<String> problems = new ArrayList<>();

  public ConfigReader(JobParameters params) {
    this.params = params;
  }

  public JobParameters params() {
    return params;
  }

  /** The problems so far; other validators (e.g. the Delta sink's) add theirs here too. */
  public List<String> problems() {
    return problems;
  }

  public void problem(String problem) {
    problems.add(problem);
  }

  /** Adds {@code problem} unless {@code ok}; returns {@code ok}. */
  public boolean check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
    return ok;
  }

  /**
   * The typed value of {@code option}, or its default; a malformed value is a problem and gives
   * null. The message shows the value, except for secret-looking keys ({@link
   * JobParameters#isSecretKey}).
   */
  public <T> T get(ConfigOption<T> option) {
    try {
      return params.get(option);
    } catch (IllegalArgumentException e) {
      problems.add(JobParameters.isSecretKey(option.key())
          ? "Invalid value for " + option.key() + " (not shown)" : e.getMessage());
      return null;
    }
  }

  /** As {@link #get(ConfigOption)}, with {@code fallback} instead of null after a problem. */
  public <T> T get(ConfigOption<T> option, T fallback) {
    T value = get(option);
    return value == null ? fallback : value;
  }

  /** The trimmed value, or null when it is absent or blank (then a problem: "{@code <key> is required<why>}"). */
  public String required(ConfigOption<String> option, String why) {
    String value = trimmedOrNull(params.raw(option.key()));
    if (value == null) {
      problems.add(option.key() + " is required" + why);
    }
    return value;
  }

  /** The trimmed value of a string option (or its default), null when absent or blank. */
  public String optional(ConfigOption<String> option) {
    return trimmedOrNull(get(option));
  }

  /** The secret {@code key} (see {@link Secrets#resolve}); a source that fails is a problem. */
  public Optional<Secret> secret(Secrets secrets, String key, String defaultEnv) {
    try {
      return secrets.resolve(params, key, defaultEnv);
    } catch (RuntimeException e) {
      // Secrets' messages never contain the value.
      problems.add(e.getMessage());
      return Optional.empty();
    }
  }

  /** Refuses keys in the job's namespaces that it does not know, naming the nearest known key. */
  public void rejectUnknownKeys(UnknownKeys keys, String where) {
    problems.addAll(keys.problems(params.asMap().keySet(), where));
  }

  /** Refuses keys in {@code reserved} (e.g. set by the job itself) with {@code why}. */
  public void rejectKeys(Collection<String> reserved, String why) {
    reserved.stream().filter(params::contains).sorted().forEach(k -> problems.add(k + " " + why));
  }

  /**
   * Ends reading.
   *
   * @throws InvalidConfigurationException listing every problem, if any
   */
  public void throwIfAny(String what) {
    InvalidConfigurationException.throwIfAny(what, problems);
  }

  private static String trimmedOrNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }
}
