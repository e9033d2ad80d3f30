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

  /** The delays of a backoff without its random state: what a producer's config holds. */
  static final class Policy {
    /** 100 ms doubling up to 5 s. */
    static final Policy DEFAULT = new Policy(Duration.ofMillis(100), Duration.ofSeconds(5));

    final Duration initial;
    final Duration max;

    /** @throws IllegalArgumentException unless 0 < initial <= max */
    Policy(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 < initial <= max");
      }
      this.initial = initial;
      this.max = max;
    }

    /** A backoff with these delays and its own jitter sequence. */
    Backoff start(long seed) {
      return new Backoff(this, seed);
    }

    @Override
    public String toString() {
      return initial + ".." + max;
    }
  }

  private Backoff(Policy policy, long seed) {
    this.initialMillis = policy.initial.toMillis();
    this.maxMillis = policy.max.toMillis();
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
