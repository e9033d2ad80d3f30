package io.tributary.producers;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Exponential backoff with "equal jitter": attempt {@code n} (from 1) waits a random time in
 * {@code [d/2, d]} where {@code d = min(max, initial * 2^(n-1))}, so that many clients retrying at
 * once spread out while each still waits at least half the nominal delay.
 */
final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final SplittableRandom random;

  Backoff(Duration initial, Duration max, long seed) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = new SplittableRandom(seed);
  }

  /** Delay before retry number {@code attempt} (1 = first retry). */
  Duration delay(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long nominal = Math.min(maxMillis, initialMillis << shift);
    if (nominal <= 0 || nominal > maxMillis) {
      nominal = maxMillis;
    }
    long half = nominal / 2;
    return Duration.ofMillis(half + random.nextLong(nominal - half + 1));
  }
}
