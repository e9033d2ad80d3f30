package io.tributary.delta;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committer's Kernel engine: the default engine, with how a failed write of a Delta log entry
 * is retried.
 *
 * <p>Kernel retries a commit whose log write failed with an {@link IOException} at once, up to
 * {@code commit.max-retries} times. Two cases need more:
 *
 * <ul>
 *   <li>An interrupted write (Flink interrupts the committer to cancel the task; S3A reports it as
 *       an {@link InterruptedIOException}, the AWS SDK as an {@code AbortedException}, NIO as a
 *       {@link ClosedByInterruptException}) is a cancellation: the write throws {@link
 *       CommitInterruptedException}, which Kernel does not retry, and the committer sets the
 *       thread's interrupt flag again ({@link #restoreInterrupt}). Whether the entry landed is
 *       unknown; the restored job's committer finds out by the transaction identifier.
 *   <li>Any other failed write (a transient storage error) waits before Kernel's next attempt:
 *       {@link #BASE_BACKOFF_MILLIS} doubled per consecutive failure, at most {@link
 *       #MAX_BACKOFF_MILLIS}. An interrupt during the wait is a cancellation as above.
 * </ul>
 *
 * <p>A write that lost the race for its version ({@link FileAlreadyExistsException}) is Kernel's
 * conflict handling and passes through at once.
 */
final class CommitRetryEngine implements Engine {
  private static final Logger LOG = LoggerFactory.getLogger(CommitRetryEngine.class);

  static final long BASE_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 10_000;

  private final Engine delegate;
  private final JsonHandler json;
  private final long baseBackoffMillis;

  CommitRetryEngine(Engine delegate) {
    this(delegate, BASE_BACKOFF_MILLIS);
  }

  CommitRetryEngine(Engine delegate, long baseBackoffMillis) {
    this.delegate = delegate;
    this.baseBackoffMillis = baseBackoffMillis;
    this.json = new RetryingJsonHandler(delegate.getJsonHandler());
  }

  /** The wait before the attempt after {@code failures} consecutive failed writes. */
  static long backoffMillis(long base, int failures) {
    int shift = Math.min(Math.max(failures - 1, 0), 20);
    return Math.min(MAX_BACKOFF_MILLIS, base << shift);
  }

  /** Whether {@code e} (or a cause) reports that the writing thread was interrupted. */
  static boolean isInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
          || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))
          || t.getClass().getName().endsWith(".AbortedException")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sets the thread's interrupt flag again when {@code e} ends a commit because of an interrupt,
   * so that the task's cancellation proceeds.
   *
   * @return {@code e}, to rethrow
   */
  static RuntimeException restoreInterrupt(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CommitInterruptedException) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return e;
  }

  @Override
  public ExpressionHandler getExpressionHandler() {
    return delegate.getExpressionHandler();
  }

  @Override
  public JsonHandler getJsonHandler() {
    return json;
  }

  @Override
  public FileSystemClient getFileSystemClient() {
    return delegate.getFileSystemClient();
  }

  @Override
  public ParquetHandler getParquetHandler() {
    return delegate.getParquetHandler();
  }

  @Override
  public List<MetricsReporter> getMetricsReporters() {
    return delegate.getMetricsReporters();
  }

  /** Thrown when a commit is cancelled by an interrupt; never retried. */
  static final class CommitInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommitInterruptedException(String path, Throwable cause) {
      super("Writing " + path + " was interrupted (the task is being cancelled); not retrying", cause);
    }
  }

  private final class RetryingJsonHandler implements JsonHandler {
    private final JsonHandler handler;
    private int consecutiveFailures;

    RetryingJsonHandler(JsonHandler handler) {
      this.handler = handler;
    }

    @Override
    public ColumnarBatch parseJson(ColumnVector json, StructType schema, Optional<ColumnVector> selection) {
      return handler.parseJson(json, schema, selection);
    }

    @Override
    public CloseableIterator<ColumnarBatch> readJsonFiles(
        CloseableIterator<FileStatus> files, StructType schema, Optional<Predicate> predicate) throws IOException {
      return handler.readJsonFiles(files, schema, predicate);
    }

    @Override
    public void writeJsonFileAtomically(String path, CloseableIterator<Row> data, boolean overwrite) throws IOException {
      if (Thread.currentThread().isInterrupted()) {
        Thread.interrupted(); // set again by restoreInterrupt
        throw new CommitInterruptedException(path, null);
      }
      try {
        handler.writeJsonFileAtomically(path, data, overwrite);
        consecutiveFailures = 0;
      } catch (FileAlreadyExistsException e) {
        consecutiveFailures = 0;
        throw e;
      } catch (IOException | RuntimeException e) {
        if (isInterruption(e) || Thread.currentThread().isInterrupted()) {
          // The flag is set again by restoreInterrupt once Kernel is done: set now, it would make
          // Kernel's own clean-up reads fail and hide this exception.
          throw new CommitInterruptedException(path, e);
        }
        if (e instanceof RuntimeException) {
          throw e; // not retried by Kernel
        }
        long wait = backoffMillis(baseBackoffMillis, ++consecutiveFailures);
        LOG.warn("Writing {} failed ({}); the next attempt in {} ms", path, e.toString(), wait);
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          throw new CommitInterruptedException(path, e);
        }
        throw e;
      }
    }
  }
}
