package io.tributary.producers;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target throughput such as {@code 5/s}, {@code 300/min}, {@code 2.5/s} or {@code 1000/h}, or
 * {@link #UNLIMITED} ({@code max}). Immutable.
 */
public final class Rate {

  /** As fast as possible. */
  public static final Rate UNLIMITED = new Rate(Double.POSITIVE_INFINITY, "max");

  private static final Pattern FORMAT =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(s|sec|second|m|min|minute|h|hour))?");

  private final double perSecond;
  private final String text;

  private Rate(double perSecond, String text) {
    this.perSecond = perSecond;
    this.text = text;
  }

  /** A rate of {@code perSecond} units per second; must be positive and finite. */
  public static Rate perSecond(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be positive: " + perSecond);
    }
    return new Rate(perSecond, format(perSecond) + "/s");
  }

  /**
   * Parses {@code N/s}, {@code N/min}, {@code N/h} (N may have decimals; a bare {@code N} means per
   * second) or {@code max}/{@code unlimited}.
   *
   * @throws IllegalArgumentException with a message fit for a command-line error
   */
  public static Rate parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("max") || t.equals("unlimited")) {
      return UNLIMITED;
    }
    Matcher m = FORMAT.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a rate: use e.g. 5/s, 300/min, 1000/h or max");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double seconds = unit.startsWith("h") ? 3600 : unit.startsWith("m") ? 60 : 1;
    if (!(n > 0)) {
      throw new IllegalArgumentException("'" + text + "' is not a rate: it must be greater than 0");
    }
    return new Rate(n / seconds, t.replace(" ", ""));
  }

  /** Units per second; {@link Double#POSITIVE_INFINITY} for {@link #UNLIMITED}. */
  public double perSecond() {
    return perSecond;
  }

  public boolean isUnlimited() {
    return Double.isInfinite(perSecond);
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rate && ((Rate) o).perSecond == perSecond;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(perSecond);
  }

  @Override
  public String toString() {
    return text;
  }
}
