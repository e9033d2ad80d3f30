package io.tributary.cli.local;

import io.delta.kernel.engine.Engine;
import io.tributary.producers.ProducerStats;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The live progress line: produced vs committed per table, last commit version, quarantined
 * count and freshness (age of the newest committed event), one updating line on a terminal and
 * a line every 10 s otherwise.
 */
final class Progress {
  private final TableWatch orders;
  private final TableWatch atomicEvents;
  private final TableWatch quarantine;
  private final PrintStream out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private final long seededOrderChanges;
  private long lastLine;

  /** @param seededOrderChanges order changes made before the producer started (the seed order) */
  Progress(Path silver, PrintStream out, boolean terminal, long seededOrderChanges) {
    this.seededOrderChanges = seededOrderChanges;
    this.orders = new TableWatch(LocalPlatform.ORDERS_TABLE, silver.resolve(LocalPlatform.ORDERS_TABLE).toString(), "source_commit_ts");
    this.atomicEvents = new TableWatch(LocalPlatform.ATOMIC_EVENTS, silver.resolve(LocalPlatform.ATOMIC_EVENTS).toString(), "ingest_timestamp");
    this.quarantine = new TableWatch(LocalPlatform.QUARANTINE, silver.resolve(LocalPlatform.QUARANTINE).toString(), null);
    this.out = out;
    this.terminal = terminal;
  }

  /** Reads the tables as earlier runs left them: progress counts this run's rows only. */
  void markBaseline(Engine engine) {
    refresh(engine);
    orders.markBaseline();
    atomicEvents.markBaseline();
    quarantine.markBaseline();
  }

  void refresh(Engine engine) {
    orders.refresh(engine);
    atomicEvents.refresh(engine);
    quarantine.refresh(engine);
  }

  void print(Engine engine, ProducerStats ordersStats, ProducerStats eventsStats) {
    refresh(engine);
    long now = System.nanoTime();
    if (!terminal && now - lastLine < Duration.ofSeconds(10).toNanos()) {
      return;
    }
    lastLine = now;
    long elapsed = Duration.ofNanos(now - started).getSeconds();
    String line = String.format(
        "[%02d:%02d] orders %,d changes -> silver %,d (v%d, %s) | events %,d -> atomic_events %,d + quarantined %,d (v%d, %s)",
        elapsed / 60, elapsed % 60,
        orderChanges(ordersStats) + seededOrderChanges, orders.rows(), Math.max(orders.version(), 0), age(orders.newest()),
        eventsStats.total(), atomicEvents.rows(), quarantine.rows(), Math.max(atomicEvents.version(), 0), age(atomicEvents.newest()));
    if (terminal) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
  }

  /** Waits until every produced change and event is committed (or the timeout passes). */
  void awaitCaughtUp(Engine engine, ProducerStats ordersStats, ProducerStats eventsStats, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      refresh(engine);
      if (orders.rows() >= orderChanges(ordersStats) + seededOrderChanges && eventsCommitted() >= expectedEvents(eventsStats)) {
        return;
      }
      Thread.sleep(500);
    }
  }

  /** Waits until the cdc-job's snapshot of the seeded table is committed. */
  void awaitOrdersSnapshot(Engine engine, long rows, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      refresh(engine);
      if (orders.rows() >= rows) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("The cdc-job did not commit its snapshot of the orders table within " + timeout
        + " (see the Flink web UI and tributary.log in the data directory)");
  }

  long seededOrderChanges() {
    return seededOrderChanges;
  }

  static long orderChanges(ProducerStats s) {
    return s.produced("insert") + s.produced("update") + s.produced("delete");
  }

  /** Valid events land once in atomic_events (re-sent duplicates are dropped), malformed ones in quarantine. */
  static long expectedEvents(ProducerStats s) {
    return s.produced("valid") + s.produced("malformed");
  }

  long eventsCommitted() {
    return atomicEvents.rows() + quarantine.rows();
  }

  private static String age(Optional<Instant> newest) {
    return newest.map(t -> "newest " + Math.max(0, Duration.between(t, Instant.now()).getSeconds()) + "s old").orElse("no data yet");
  }

  TableWatch orders() {
    return orders;
  }

  TableWatch atomicEvents() {
    return atomicEvents;
  }

  TableWatch quarantine() {
    return quarantine;
  }
}
