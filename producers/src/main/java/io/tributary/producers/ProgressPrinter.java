package io.tributary.producers;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Prints a producer's progress while it runs: on a terminal one line rewritten in place (carriage
 * return) every interval; otherwise a plain line every interval (for logs). Notices (connection
 * lost...) get their own line. Runs a daemon thread between {@link #start()} and {@link #close()}.
 */
public final class ProgressPrinter implements AutoCloseable {

  private final PrintStream out;
  private final boolean terminal;
  private final Duration interval;
  private final Supplier<ProducerStats> stats;
  private final Object lock = new Object();
  private Thread thread;
  private volatile boolean closed;
  private int lastLength;
  private long lastTotal;
  private long lastNanos;

  /**
   * @param terminal true to rewrite one line in place (use {@code System.console() != null})
   * @param interval time between updates
   */
  public ProgressPrinter(PrintStream out, boolean terminal, Duration interval, Supplier<ProducerStats> stats) {
    this.out = Objects.requireNonNull(out);
    this.terminal = terminal;
    this.interval = Objects.requireNonNull(interval);
    this.stats = Objects.requireNonNull(stats);
  }

  public ProgressPrinter start() {
    lastNanos = System.nanoTime();
    thread = new Thread(this::loop, "producer-progress");
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Prints {@code message} on its own line without disturbing the progress line. */
  public void notice(String message) {
    synchronized (lock) {
      clearLine();
      out.println(message);
      out.flush();
    }
  }

  /** Stops updating and clears the in-place line. */
  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      clearLine();
      out.flush();
    }
  }

  private void loop() {
    while (!closed) {
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      if (!closed) {
        print();
      }
    }
  }

  private void print() {
    ProducerStats s = stats.get();
    long now = System.nanoTime();
    double current = (s.total() - lastTotal) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastTotal = s.total();
    lastNanos = now;
    String line = String.format(Locale.ROOT, "%s  now %.1f/s", s.line(), current);
    synchronized (lock) {
      if (terminal) {
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
          b.append(' ');
        }
        lastLength = line.length();
        out.print(b);
      } else {
        out.println(line);
      }
      out.flush();
    }
  }

  private void clearLine() {
    if (terminal && lastLength > 0) {
      StringBuilder b = new StringBuilder("\r");
      for (int i = 0; i < lastLength; i++) {
        b.append(' ');
      }
      out.print(b.append('\r'));
      lastLength = 0;
    }
  }
}
