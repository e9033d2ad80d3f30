package io.tributary.delta.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PrivilegedExceptionAction;
import java.util.function.Supplier;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.UserGroupInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs code with Hadoop file systems of its own and closes them when it returns, for code that
 * runs once, outside any task: a job's {@code main()} (the table check of {@code
 * DeltaSink.Builder#build}) and tools. Flink gives {@code main()} no release hook, so a cached
 * S3A file system built there would keep its threads, its metrics system and the class loader
 * alive in the JobManager for good.
 *
 * <p>Hadoop caches file systems per user; the code runs as a fresh {@link UserGroupInformation}
 * of the same user name, so the file systems it opens are cached under that user only, and {@link
 * FileSystem#closeAllForUGI} closes exactly those, leaving file systems that other code of the
 * same class loader uses (a MiniCluster job) open.
 */
public final class ScopedFileSystems {
  private static final Logger LOG = LoggerFactory.getLogger(ScopedFileSystems.class);

  private ScopedFileSystems() {}

  /** Runs {@code action}; closes the file systems it opened, also when it throws. */
  public static <T> T run(Supplier<T> action) {
    UserGroupInformation scope;
    try {
      scope = UserGroupInformation.createRemoteUser(UserGroupInformation.getCurrentUser().getShortUserName());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot determine the Hadoop user", e);
    }
    try {
      return scope.doAs((PrivilegedExceptionAction<T>) action::get);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } finally {
      try {
        FileSystem.closeAllForUGI(scope);
      } catch (IOException e) {
        LOG.warn("Could not close the file systems opened while preparing the table", e);
      }
    }
  }
}
