package io.tributary.producers;

import java.time.Duration;

/**
 * When a producer stops by itself: after {@code count} units (orders: operations; events:
 * records) or after {@code duration}, whichever comes first. Neither set means "until stopped".
 * Immutable; {@link #of} validates.
 */
public final class RunLimits {

  /** No count and no duration: runs until {@link Producer#stop()}. */
  public static final RunLimits UNLIMITED = new RunLimits(0, null);

  private final long count;
  private final Duration duration;

  private RunLimits(long count, Duration duration) {
    this.count = count;
    this.duration = duration;
  }

  /**
   * @param count units to produce; 0 = no limit
   * @param duration how long to run; null = no limit
   * @throws IllegalArgumentException if the count is negative or the duration is not positive
   */
  public static RunLimits of(long count, Duration duration) {
    if (count < 0) {
      throw new IllegalArgumentException("the count must be >= 0 (got " + count + ")");
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("the duration must be positive (got " + duration + ")");
    }
    return count == 0 && duration == null ? UNLIMITED : new RunLimits(count, duration);
  }

  /** Units to produce; 0 = no limit. */
  public long count() {
    return count;
  }

  /** How long to run; null = no limit. */
  public Duration duration() {
    return duration;
  }

  /** The {@link System#nanoTime()} at which a run started at {@code startNanos} ends; MAX_VALUE when unlimited. */
  long deadlineNanos(long startNanos) {
    return duration == null ? Long.MAX_VALUE : startNanos + duration.toNanos();
  }

  /** Units still to produce after {@code done}; MAX_VALUE when the count is unlimited. */
  long remaining(long done) {
    return count == 0 ? Long.MAX_VALUE : Math.max(0, count - done);
  }

  /** For start-up lines: {@code "count 100, duration 30s"}, {@code "count 100"} or {@code "until stopped"}. */
  @Override
  public String toString() {
    if (count == 0 && duration == null) {
      return "until stopped";
    }
    String countPart = count > 0 ? "count " + count : "";
    String durationPart = duration != null ? "duration " + Durations.format(duration) : "";
    return countPart.isEmpty() ? durationPart : durationPart.isEmpty() ? countPart : countPart + ", " + durationPart;
  }
}
