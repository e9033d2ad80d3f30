package io.tributary.producers;

import java.util.function.BooleanSupplier;

/**
 * Paces work to a {@link Rate}: {@link #acquire(int)} waits until {@code n} more units are allowed.
 * Allows a burst of at most one second to catch up after a stall (a slow write), then forgets the
 * backlog rather than flooding the target. Not thread-safe (one per producer thread).
 */
final class Pacer {

  private static final long MAX_SLEEP_NANOS = 50_000_000L;

  private final double nanosPerUnit;
  private long next = System.nanoTime();

  Pacer(Rate rate) {
    this.nanosPerUnit = rate.isUnlimited() ? 0 : 1e9 / rate.perSecond();
  }

  /**
   * Reserves {@code n} units and returns the {@link System#nanoTime()} at which they are due (now or
   * earlier when unlimited or behind).
   */
  long reserve(int n) {
    long now = System.nanoTime();
    if (nanosPerUnit == 0) {
      return now;
    }
    if (now - next > 1_000_000_000L) {
      next = now - 1_000_000_000L;
    }
    long due = next;
    next += (long) (nanosPerUnit * n);
    return due;
  }

  /**
   * Waits for {@code n} units; returns false (early) when {@code stopped} becomes true.
   */
  boolean acquire(int n, BooleanSupplier stopped) {
    long due = reserve(n);
    while (true) {
      if (stopped.getAsBoolean()) {
        return false;
      }
      long wait = due - System.nanoTime();
      if (wait <= 0) {
        return true;
      }
      sleepNanos(Math.min(wait, MAX_SLEEP_NANOS));
    }
  }

  /** Sleeps up to {@code nanos}; returns early (with the interrupt flag set) when interrupted. */
  static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
