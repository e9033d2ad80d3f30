package io.tributary.delta.testing;

import java.io.File;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.util.FlinkUserCodeClassLoader;
import org.apache.flink.util.FlinkUserCodeClassLoaders;

/**
 * One "job" loaded as a Flink cluster loads a job jar, without a cluster: Flink's own child-first
 * user-code class loader (default parent-first patterns, leak check on) over this JVM's class
 * path, with a parent that holds the class path's jars without Hadoop (like a distribution's
 * {@code lib/}), so Hadoop, Delta Kernel, the AWS SDK, pgjdbc and our code are loaded anew for
 * every instance.
 *
 * <p>Code runs in it on a fresh thread with the user-code class loader as context class loader,
 * like a task thread, and receives a {@code org.apache.flink.util.UserCodeClassLoader} (of the
 * parent, so the job's code sees Flink's interface) that records release hooks; {@link
 * #release()} runs them and closes the class loader, as Flink's library cache does when the last
 * task of a job leaves a TaskManager.
 */
public final class ChildFirstJob {
  /**
   * What the parent (the cluster's class path) gets: every jar but Hadoop's. Flink's default
   * parent-first patterns include {@code org.apache.hadoop.}, so Hadoop in the parent would be
   * shared by all jobs, as on a cluster with {@code HADOOP_CLASSPATH}; our distributions have none.
   * Everything else the job jar bundles is loaded child-first anyway.
   */
  private static final Predicate<File> PARENT_ENTRY =
      entry -> entry.isFile() && !entry.getName().startsWith("hadoop-");

  private static final AtomicReference<URLClassLoader> PARENT = new AtomicReference<>();

  private URLClassLoader loader;
  private final Map<String, Runnable> hooks = new LinkedHashMap<>();
  private final Object userCodeClassLoader;

  private ChildFirstJob(URLClassLoader loader, ClassLoader parent) throws ClassNotFoundException {
    this.loader = loader;
    Class<?> api = Class.forName("org.apache.flink.util.UserCodeClassLoader", false, parent);
    this.userCodeClassLoader =
        Proxy.newProxyInstance(parent, new Class<?>[] {api}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "asClassLoader":
              return this.loader;
            case "registerReleaseHookIfAbsent":
              synchronized (hooks) {
                hooks.putIfAbsent((String) args[0], (Runnable) args[1]);
              }
              return null;
            case "toString":
              return "UserCodeClassLoader(" + this.loader + ")";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  /** A new job class loader over this JVM's class path (minus Flink and logging, in the parent). */
  public static ChildFirstJob create() throws Exception {
    List<URL> child = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      child.add(url(entry));
    }
    ClassLoader parent = parent();
    List<String> patterns =
        new ArrayList<>(Arrays.asList(CoreOptions.getParentFirstLoaderPatterns(new org.apache.flink.configuration.Configuration())));
    URLClassLoader loader =
        FlinkUserCodeClassLoaders.childFirst(
            child.toArray(new URL[0]), parent, patterns.toArray(new String[0]),
            FlinkUserCodeClassLoader.NOOP_EXCEPTION_HANDLER, true);
    return new ChildFirstJob(loader, parent);
  }

  /** Flink and logging jars of the class path, shared by every job like a distribution's lib/. */
  private static ClassLoader parent() throws MalformedURLException {
    URLClassLoader existing = PARENT.get();
    if (existing != null) {
      return existing;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (PARENT_ENTRY.test(new File(entry))) {
        urls.add(url(entry));
      }
    }
    URLClassLoader created = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    return PARENT.compareAndSet(null, created) ? created : PARENT.get();
  }

  private static URL url(String entry) throws MalformedURLException {
    return new File(entry).toURI().toURL();
  }

  /** The user-code class loader (the wrapper Flink hands to tasks). */
  public ClassLoader classLoader() {
    return loader;
  }

  /** Flink's {@code UserCodeClassLoader} view of this job, to pass to code in the job. */
  public Object userCodeClassLoader() {
    return userCodeClassLoader;
  }

  /**
   * Instantiates {@code className} through the job's class loader and calls it on a task-like
   * thread with {@code (userCodeClassLoader(), argument)}; rethrows what it threw.
   */
  @SuppressWarnings("unchecked")
  public <T> T run(String className, T argument) throws Exception {
    Class<?> type = Class.forName(className, true, loader);
    java.util.function.BiFunction<Object, T, T> task =
        (java.util.function.BiFunction<Object, T, T>) type.getDeclaredConstructor().newInstance();
    AtomicReference<Object> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        result.set(task.apply(userCodeClassLoader, argument));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "job-task-" + className);
    thread.setContextClassLoader(loader);
    thread.start();
    thread.join();
    if (failure.get() instanceof Exception) {
      throw (Exception) failure.get();
    } else if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    return (T) result.get();
  }

  /** Names of the release hooks registered so far. */
  public List<String> hookNames() {
    synchronized (hooks) {
      return new ArrayList<>(hooks.keySet());
    }
  }

  /**
   * Releases the job as Flink does: runs its release hooks on a thread of the cluster (context
   * class loader: the parent), then closes the class loader. {@code runHooks=false} skips the
   * hooks, to show what they are for.
   *
   * @return a reference that clears once nothing holds the class loader any more
   */
  public WeakReference<ClassLoader> release(boolean runHooks) throws Exception {
    List<Runnable> toRun;
    synchronized (hooks) {
      toRun = new ArrayList<>(hooks.values());
      hooks.clear();
    }
    if (runHooks) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread thread = new Thread(() -> toRun.forEach(r -> {
        try {
          r.run();
        } catch (Throwable t) {
          failure.set(t);
        }
      }), "library-cache-release");
      thread.setContextClassLoader(PARENT.get());
      thread.start();
      thread.join();
      if (failure.get() != null) {
        throw new AssertionError("release hook failed", failure.get());
      }
    }
    toRun.clear();
    WeakReference<ClassLoader> ref = new WeakReference<>(loader);
    loader.close();
    loader = null;
    return ref;
  }

  /** Collects garbage until {@code ref} clears or about ten seconds passed; whether it cleared. */
  public static boolean collected(WeakReference<?> ref) throws InterruptedException {
    return collected(ref, 50);
  }

  /**
   * Collects garbage until {@code ref} clears or {@code gcs} full collections (200 ms apart)
   * passed; whether it cleared. An unreachable class loader goes at the first full GC, so a few
   * suffice to show that one is held.
   */
  public static boolean collected(WeakReference<?> ref, int gcs) throws InterruptedException {
    for (int i = 0; i < gcs && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ref.get() == null;
  }
}
