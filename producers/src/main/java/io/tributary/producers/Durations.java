package io.tributary.producers;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations of the producers' command lines: parsed in the jobs' syntax ({@link
 * io.tributary.config.DurationSyntax}, Flink's: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h},
 * {@code 1d}, {@code 90 min}), and formatted short for progress lines.
 */
public final class Durations {

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a message fit for a command-line error
   */
  public static Duration parse(String text) {
    return io.tributary.config.DurationSyntax.parse(text);
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
