package io.tributary.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults and help, validated on access. */
final class Options {
  /** A wrong command line: printed with the usage, exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** Declared options of a command: name to {default, description}. */
  static final class Spec {
    final String command;
    final Map<String, String[]> options = new LinkedHashMap<>();

    Spec(String command) {
      this.command = command;
    }

    Spec option(String name, String defaultValue, String description) {
      options.put(name, new String[] {defaultValue, description});
      return this;
    }

    String help() {
      StringBuilder sb = new StringBuilder("usage: tributary " + command + " [options]\n\noptions:\n");
      options.forEach(
          (name, d) -> sb.append(String.format("  --%-22s %s (default: %s)%n", name, d[1], d[0])));
      return sb.toString();
    }
  }

  private final Spec spec;
  private final Map<String, String> values = new LinkedHashMap<>();
  final boolean help;

  private Options(Spec spec, boolean help) {
    this.spec = spec;
    this.help = help;
  }

  static Options parse(String[] args, Spec spec) {
    boolean help = false;
    Options o = new Options(spec, false);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        help = true;
        continue;
      }
      if (!a.startsWith("--")) {
        throw new UsageException("unexpected argument '" + a + "'\n\n" + spec.help());
      }
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException("option --" + name + " needs a value");
      }
      if (!spec.options.containsKey(name)) {
        throw new UsageException("unknown option --" + name + "\n\n" + spec.help());
      }
      o.values.put(name, value);
    }
    if (help) {
      Options h = new Options(spec, true);
      h.values.putAll(o.values);
      return h;
    }
    return o;
  }

  String help() {
    return spec.help();
  }

  String get(String name) {
    String[] d = spec.options.get(name);
    if (d == null) {
      throw new IllegalArgumentException("undeclared option " + name);
    }
    return values.getOrDefault(name, d[0]);
  }

  double positiveNumber(String name) {
    String v = get(name);
    try {
      double d = Double.parseDouble(v.endsWith("/s") ? v.substring(0, v.length() - 2) : v);
      if (d > 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + name + " must be a positive number, got '" + v + "'");
  }

  /** Durations like {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}. */
  Duration duration(String name) {
    String v = get(name).trim();
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new UsageException("--" + name + " must be a duration like 30s, 5m or 1h, got '" + v + "'");
  }
}
