package io.tributary.eventsjob;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The dedup table in steady state, where the benchmarks of whole pipelines (seconds long, fresh
 * state) never get: a key group's table holding two windows of ids, swept every 1/8 window as
 * {@link DeduplicateEvents} does, with new ids arriving in between. Prints ns per new id for the
 * in-place sweep and for the rebuild it replaced, same ids, same order.
 *
 * <pre>
 * ./mvnw -q -pl events-job -am -Pbench verify -DskipTests \
 *   -Dbench.main=io.tributary.eventsjob.SeenIdsSweepBenchmark -Dbench.args="200000 40"
 * </pre>
 *
 * Arguments: ids per 1/8 window (default 200,000), sweeps timed (default 40).
 */
public final class SeenIdsSweepBenchmark {
  private SeenIdsSweepBenchmark() {}

  public static void main(String[] args) {
    int perPeriod = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int sweeps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    long retain = 16; // two windows of 8 sweep periods: as DeduplicateEvents keeps them
    for (int round = 1; round <= 3; round++) {
      for (boolean inPlace : new boolean[] {true, false}) {
        SeenIds table = new SeenIds();
        SplittableRandom random = new SplittableRandom(42);
        long insertNanos = 0;
        long sweepNanos = 0;
        long ids = 0;
        for (long period = 0; period < retain + 2 + sweeps; period++) {
          boolean timed = period >= retain + 2; // full from here on
          long t0 = System.nanoTime();
          for (int k = 0; k < perPeriod; k++) {
            long high = random.nextLong();
            long low = random.nextLong();
            int slot = table.find(high, low);
            if (slot < 0) {
              table.insert(-slot - 1, high, low, SeenIds.meta(random.nextLong(), period));
            }
          }
          long t1 = System.nanoTime();
          if (inPlace) {
            table.sweep(period, retain);
          } else {
            table.sweepByRebuild(period, retain);
          }
          long t2 = System.nanoTime();
          if (timed) {
            insertNanos += t1 - t0;
            sweepNanos += t2 - t1;
            ids += perPeriod;
          }
        }
        System.out.printf(Locale.ROOT,
            "round %d, %-9s sweep: %,d ids held, per new id: lookup+insert %.1f ns, sweep %.1f ns (%.1f ms per sweep)%n",
            round, inPlace ? "in-place" : "rebuild", table.size(), (double) insertNanos / ids, (double) sweepNanos / ids,
            sweepNanos / 1e6 / sweeps);
      }
    }
  }
}
