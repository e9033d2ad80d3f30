package io.tributary.delta;

import io.tributary.delta.runtime.UserCodeResources;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A job's task calling into a runtime pool that grows while the call is on the stack (as Flink's
 * Pekko dispatcher and metrics executor do): the pool's new thread inherits the access control
 * context of this stack, with the protection domain of this class. The argument is the pool; the
 * context class loader is the pool's own during the call, so only that context ties the thread
 * to the job. Registers the release hook as the sink's operators do.
 */
public final class PoolThreadProbe implements BiFunction<Object, Object, Object> {
  @Override
  public Object apply(Object userCodeClassLoader, Object pool) {
    UserCodeResources.releaseWith((UserCodeClassLoader) userCodeClassLoader);
    Thread current = Thread.currentThread();
    ClassLoader context = current.getContextClassLoader();
    current.setContextClassLoader(pool.getClass().getClassLoader());
    try {
      ((ExecutorService) pool).submit(() -> { }).get();
      return "submitted";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      current.setContextClassLoader(context);
    }
  }
}
