package io.tributary.producers;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a producer for a subcommand: header, progress, Ctrl-C handling (stops the producer and
 * waits for its summary), summary, exit code.
 */
final class ProducerRunner {

  private ProducerRunner() {}

  static int run(ProduceCommand parent, RunOptions options, String name, String header,
      Function<Consumer<String>, Producer> factory) {
    PrintStream out = parent.out;
    boolean terminal = parent.isTerminal();
    Duration interval = options.progressInterval != null ? options.progressInterval
        : terminal ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
    AtomicReference<Producer> ref = new AtomicReference<>();
    ProgressPrinter printer = new ProgressPrinter(out, terminal, interval, () -> ref.get().stats());
    Producer producer = factory.apply(message -> printer.notice(name + ": " + message));
    ref.set(producer);
    out.println(name + ": " + header);

    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      // Ctrl-C: let the unit of work in flight finish so the summary is exact.
      producer.stop();
      try {
        finished.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "producer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (!options.quiet) {
      printer.start();
    }
    try {
      ProducerStats stats = producer.run();
      printer.close();
      out.println(name + ": done: " + stats.line());
      return 0;
    } catch (ProducerException e) {
      printer.close();
      ProducerStats stats = producer.stats();
      if (stats.total() > 0 || stats.errors() > 0) {
        out.println(name + ": stopped: " + stats.line());
      }
      parent.err.println(name + ": error: " + e.getMessage());
      if (options.verbose) {
        e.printStackTrace(parent.err);
      }
      return ProduceCommand.EXIT_FAILURE;
    } finally {
      out.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it returns now that the latch is open.
      }
    }
  }
}
