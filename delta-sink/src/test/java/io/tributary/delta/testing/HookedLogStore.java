package io.tributary.delta.testing;

import io.tributary.delta.storage.LocalPutIfAbsentLogStore;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The local put-if-absent log store with seams for tests: run something just before a commit
 * file is written (a racing writer), or fail after a commit file was written (the write landed
 * but its acknowledgement was lost: the caller sees an {@link IOException}). Hooks are static, so
 * every engine of the JVM sees them; reset them after each test with {@link #reset()}.
 */
public class HookedLogStore extends LocalPutIfAbsentLogStore {
  /** Runs before a commit (not overwrite) of a path it accepts is written; return true to fire once only. */
  public static volatile Predicate<Path> beforeWrite = p -> false;
  /** A commit of a path it accepts is written, then reported as failed. */
  public static volatile Predicate<Path> loseAcknowledgement = p -> false;

  public HookedLogStore(Configuration conf) {
    super(conf);
  }

  public static void reset() {
    beforeWrite = p -> false;
    loseAcknowledgement = p -> false;
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    if (!overwrite) {
      // Disarmed while it runs: a hook that writes to the log itself must not fire again.
      Predicate<Path> hook = beforeWrite;
      beforeWrite = p -> false;
      if (!hook.test(path)) {
        beforeWrite = hook;
      }
    }
    super.write(path, actions, overwrite, hadoopConf);
    if (!overwrite && loseAcknowledgement.test(path)) {
      loseAcknowledgement = p -> false;
      throw new IOException("Connection reset while reading the response to PUT " + path.getName() + " (injected)");
    }
  }
}
