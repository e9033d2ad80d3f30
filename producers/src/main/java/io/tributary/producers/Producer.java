package io.tributary.producers;

import java.util.concurrent.CompletableFuture;

/**
 * A running source of test data. Contract for implementations:
 *
 * <ul>
 *   <li>{@link #run()} blocks in the calling thread until the configured count or duration is
 *       reached, {@link #stop()} is called, or an unrecoverable error occurs (thrown as {@link
 *       ProducerException}); it may be called once.
 *   <li>{@link #stop()} may be called from any thread, also before or after {@code run}; {@code
 *       run} then returns soon, after finishing (or rolling back) the unit of work in flight, never
 *       leaving a partially written batch or transaction unaccounted for.
 *   <li>{@link #stats()} may be called from any thread at any time (for a progress display).
 * </ul>
 */
public interface Producer {

  /** Produces until done; returns the final statistics. */
  ProducerStats run();

  /** Asks {@link #run()} to return soon. Idempotent, thread-safe. */
  void stop();

  /** A consistent-enough snapshot of the live counters; thread-safe. */
  ProducerStats stats();

  /**
   * Runs {@link #run()} in a new daemon thread named {@code threadName}; the future completes with
   * the final statistics or with the {@link ProducerException}. Stop it with {@link #stop()}.
   */
  default CompletableFuture<ProducerStats> runInBackground(String threadName) {
    CompletableFuture<ProducerStats> result = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        result.complete(run());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, threadName);
    thread.setDaemon(true);
    thread.start();
    return result;
  }
}
