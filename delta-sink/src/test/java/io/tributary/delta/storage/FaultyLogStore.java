package io.tributary.delta.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The local log store with injected failures of Delta log writes, for tests: register it with
 * {@code hadoopOption(LocalPutIfAbsentLogStore.LOG_STORE_CONF_KEY, FaultyLogStore.class.getName())},
 * then {@link #failNext} or {@link #interruptNext}. State is static (Kernel creates the store).
 */
public final class FaultyLogStore extends LocalPutIfAbsentLogStore {
  /** Every write attempt of a Delta commit file, failed or not. */
  public static final AtomicInteger ATTEMPTS = new AtomicInteger();

  private static final AtomicInteger transientFailures = new AtomicInteger();
  private static volatile boolean interrupt;

  public FaultyLogStore(Configuration initHadoopConf) {
    super(initHadoopConf);
  }

  /** The next {@code n} writes fail with a transient IOException. */
  public static void failNext(int n) {
    transientFailures.set(n);
  }

  /** Every write fails as S3A fails a request whose thread was interrupted, until {@link #reset}. */
  public static void interruptNext() {
    interrupt = true;
  }

  public static void reset() {
    ATTEMPTS.set(0);
    transientFailures.set(0);
    interrupt = false;
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    if (!path.getName().matches("\\d{20}\\.json")) {
      super.write(path, actions, overwrite, hadoopConf); // checksums and the like: not commits
      return;
    }
    ATTEMPTS.incrementAndGet();
    if (interrupt) {
      // What S3A throws when the AWS SDK aborts a request on an interrupt.
      InterruptedIOException e = new InterruptedIOException("put on " + path + ": Thread was interrupted");
      e.initCause(new RuntimeException("AbortedException: Thread was interrupted"));
      throw e;
    }
    if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IOException("injected transient failure writing " + path);
    }
    super.write(path, actions, overwrite, hadoopConf);
  }
}
