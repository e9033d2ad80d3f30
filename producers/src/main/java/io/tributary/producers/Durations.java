package io.tributary.producers;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1h30m}, {@code 1d}. */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a message fit for a command-line error
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": total = total.plusMillis(n); break;
        case "s": total = total.plusSeconds(n); break;
        case "m": total = total.plusMinutes(n); break;
        case "h": total = total.plusHours(n); break;
        default: total = total.plusDays(n); break;
      }
      end = m.end();
    }
    if (t.isEmpty() || end != t.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: use e.g. 500ms, 30s, 10m, 2h or 1h30m");
    }
    return total;
  }

  /** Short human form: {@code 1h02m03s}, {@code 4.2s}, {@code 350ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, (s % 3600) / 60, s % 60);
  }
}
