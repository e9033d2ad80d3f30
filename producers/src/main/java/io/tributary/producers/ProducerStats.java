package io.tributary.producers;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An immutable snapshot of a producer's counters.
 *
 * <p>{@link #produced()} holds the units written, by operation (orders: {@code insert}, {@code
 * update}, {@code delete}; events: {@code valid}, {@code malformed}, {@code duplicate}); {@link
 * #total()} is their sum and the unit of {@link #ratePerSecond()}. {@link #details()} holds the
 * other counters (transactions, batches, retries, reconnects...). Only units whose write is
 * confirmed are counted.
 */
public final class ProducerStats {

  private final String name;
  private final Duration elapsed;
  private final Map<String, Long> produced;
  private final Map<String, Long> details;
  private final long errors;
  private final long retries;

  ProducerStats(String name, Duration elapsed, Map<String, Long> produced, Map<String, Long> details,
      long errors, long retries) {
    this.name = name;
    this.elapsed = elapsed;
    this.produced = Collections.unmodifiableMap(new LinkedHashMap<>(produced));
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    this.errors = errors;
    this.retries = retries;
  }

  /** {@code orders} or {@code events}. */
  public String name() {
    return name;
  }

  /** Time since {@link Producer#run()} started (zero before). */
  public Duration elapsed() {
    return elapsed;
  }

  /** Units written by operation, in display order. */
  public Map<String, Long> produced() {
    return produced;
  }

  /** Count of one operation, 0 if unknown. */
  public long produced(String operation) {
    return produced.getOrDefault(operation, 0L);
  }

  /** Sum of {@link #produced()}. */
  public long total() {
    long t = 0;
    for (long v : produced.values()) {
      t += v;
    }
    return t;
  }

  /** Other counters (transactions, batches, reconnects, throttled...), in display order. */
  public Map<String, Long> details() {
    return details;
  }

  /** Failed attempts (each later retried, or fatal). */
  public long errors() {
    return errors;
  }

  /** Retried units of work (transactions re-run, records re-sent). */
  public long retries() {
    return retries;
  }

  /** Average achieved rate since the start, in units per second. */
  public double ratePerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : total() / s;
  }

  /** One line: {@code orders 12.3s 5.0/s  insert=36 update=18 delete=6  txns=60 errors=0 retries=0}. */
  public String line() {
    StringBuilder b = new StringBuilder(name).append(' ')
        .append(Durations.format(elapsed)).append(' ')
        .append(String.format(Locale.ROOT, "%.1f/s ", ratePerSecond()));
    b.append(" total=").append(total());
    produced.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    b.append(' ');
    details.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    b.append(" errors=").append(errors).append(" retries=").append(retries);
    return b.toString();
  }

  @Override
  public String toString() {
    return line();
  }
}
