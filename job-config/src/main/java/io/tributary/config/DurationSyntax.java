package io.tributary.config;

import java.math.BigInteger;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one duration syntax of Tributary: the syntax of Flink's duration options ({@code
 * checkpoint.interval=30s}, {@code 500 ms}, {@code 10 min}, {@code 2 hours}; a bare number is
 * milliseconds), which the jobs read through Flink. Processes without Flink on their class path
 * (the producers) parse it here, so a command line and a job configuration accept the same text;
 * {@code DurationSyntaxTest} holds this parser to Flink's {@code TimeUtils.parseDuration}.
 */
public final class DurationSyntax {

  /** Unit labels, singular and plural, as Flink accepts them. */
  private static final Map<String, ChronoUnit> UNITS = new LinkedHashMap<>();

  static {
    units(ChronoUnit.DAYS, "d", "day", "days");
    units(ChronoUnit.HOURS, "h", "hour", "hours");
    units(ChronoUnit.MINUTES, "min", "m", "minute", "minutes");
    units(ChronoUnit.SECONDS, "s", "sec", "secs", "second", "seconds");
    units(ChronoUnit.MILLIS, "ms", "milli", "millis", "millisecond", "milliseconds");
    units(ChronoUnit.MICROS, "µs", "micro", "micros", "microsecond", "microseconds");
    units(ChronoUnit.NANOS, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
  }

  private static void units(ChronoUnit unit, String... labels) {
    for (String label : labels) {
      UNITS.put(label, unit);
    }
  }

  private DurationSyntax() {}

  /**
   * Parses {@code <number> [unit]}; the number is a non-negative integer.
   *
   * @throws IllegalArgumentException naming the text and the accepted form
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int digits = 0;
    while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
      digits++;
    }
    if (t.isEmpty() || digits == 0) {
      throw invalid(text);
    }
    String unitLabel = t.substring(digits).trim();
    ChronoUnit unit = unitLabel.isEmpty() ? ChronoUnit.MILLIS : UNITS.get(unitLabel);
    if (unit == null) {
      throw invalid(text);
    }
    BigInteger amount = new BigInteger(t.substring(0, digits));
    if (amount.bitLength() > 63) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
    try {
      return Duration.of(amount.longValueExact(), unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration");
    }
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 500ms, 30s, 10min, 2h or 1d"
        + " (a number and one unit: " + String.join(", ", UNITS.keySet()) + "; no unit: ms)");
  }
}
