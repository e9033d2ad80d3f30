package io.tributary.delta.log;

import io.delta.kernel.hook.PostCommitHook;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Kernel's post-commit work (log checkpoints, checksums) for commits that already landed:
 * useful, never worth failing them. Each hook runs on a thread of its own, awaited without
 * yielding to interrupts: Flink interrupts the committer when it cancels the task, and an
 * interrupted checkpoint write can leave a truncated file that every later read trips over. A
 * failed checkpoint hook is followed by {@link CheckpointRepair}, which removes only a proven
 * corrupt checkpoint. {@link #close()} stops the thread.
 */
public final class PostCommitHooks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostCommitHooks.class);
  private static final long HOOK_TIMEOUT_MINUTES = 10;

  private final DeltaLog log;
  private ExecutorService executor;

  public PostCommitHooks(DeltaLog log) {
    this.log = log;
  }

  /** Runs the hooks of the commit of {@code version}; failures are logged, never thrown. */
  public void run(long version, List<PostCommitHook> hooks) {
    for (PostCommitHook hook : hooks) {
      runOne(version, hook);
    }
  }

  private void runOne(long version, PostCommitHook hook) {
    Future<?> run = executor().submit(() -> {
      hook.threadSafeInvoke(log.engine());
      return null;
    });
    boolean interrupted = false;
    try {
      while (true) {
        try {
          run.get(HOOK_TIMEOUT_MINUTES, TimeUnit.MINUTES);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("Post-commit hook {} failed for version {} of {}; the commit stands", hook.getType(), version,
          log.path(), e instanceof ExecutionException ? e.getCause() : e);
      if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT) {
        repair();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void repair() {
    try {
      CheckpointRepair.removeCorruptCheckpoints(log.path(), log.hadoopConf());
    } catch (CorruptCheckpointException e) {
      LOG.error("{}", e.getMessage());
    } catch (Exception e) {
      LOG.warn("Could not check the log checkpoints of {} after a failed checkpoint; the next read checks again",
          log.path(), e);
    }
  }

  private synchronized ExecutorService executor() {
    if (executor == null) {
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "delta-post-commit-hooks");
        t.setDaemon(true);
        return t;
      });
    }
    return executor;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdown();
      executor = null;
    }
  }
}
