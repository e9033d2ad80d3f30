package io.tributary.delta.runtime;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.security.AccessControlContext;
import java.security.ProtectionDomain;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.util.UserCodeClassLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases what the libraries bundled in a job jar leave in JVM-wide places, so that the job's
 * user-code class loader can be collected when Flink discards it (on every cancellation,
 * resubmission, restore and failover that re-creates the class loader).
 *
 * <p>Hadoop, the AWS SDK and pgjdbc start threads, register JVM shutdown hooks, JMX MBeans and
 * JDBC drivers from classes of the job's class loader; each of them keeps that class loader (and
 * every class it loaded) alive after the job ends. {@link #release} undoes them, in this order:
 *
 * <ol>
 *   <li>Hadoop, only when its classes were loaded by the job's class loader (not when the runtime
 *       provides Hadoop): closes every cached {@code FileSystem} (which stops the S3A transfer
 *       pools, the AWS SDK clients with their {@code sdk-ScheduledExecutor} and {@code
 *       idle-connection-reaper} threads, and the {@code s3a-file-system} metrics system with its
 *       timer and MBeans), clears Hadoop's {@code ShutdownHookManager} and lets the idle {@code
 *       MutableQuantiles} scheduler thread end (the scheduler stays usable), and stops the {@code
 *       StatisticsDataReferenceCleaner} thread;
 *   <li>deregisters the JDBC drivers the class loader registered with {@link DriverManager};
 *   <li>unregisters the platform MBeans whose class the class loader defined (left over by a
 *       file system that was never closed; the next job would fail with "Instance already
 *       exists");
 *   <li>removes the JVM shutdown hooks whose thread class or context class loader is the class
 *       loader (Hadoop's {@code ShutdownHookManager} hook). This reads {@code
 *       java.lang.ApplicationShutdownHooks} by reflection, which needs {@code
 *       --add-opens=java.base/java.lang=ALL-UNNAMED} on Java 17 (Flink sets it by default);
 *       without it a WARN says so and the hooks stay;
 *   <li>interrupts every other live thread whose class, context class loader or Runnable's class
 *       is of the class loader (Hadoop's {@code StatisticsDataReferenceCleaner}, pgjdbc's cleaner,
 *       pool threads)
 *       and waits up to {@link #THREAD_STOP_MILLIS} in total for them to end. A surviving thread
 *       of a JDK or runtime class that merely inherited the class loader as its context class
 *       loader (the JDK's {@code process reaper}) gets the parent class loader instead; threads
 *       of the class loader's own classes that survive are named in a WARN;
 *   <li>gives every other live thread an empty inherited access control context. A thread is
 *       created with the access control context of its creator's stack; a runtime pool that grows
 *       while job code is on that stack (Flink's Pekko dispatcher and metrics executor, when a
 *       task calls into them) keeps the protection domains of the job's classes, and so the class
 *       loader, for the pool thread's life. Nothing checks that context without a {@code
 *       SecurityManager} (Flink installs none); with one installed the step does nothing. Needs
 *       {@code java.lang} open to us, as the shutdown hooks do.
 * </ol>
 *
 * <p>One INFO line ({@value #RELEASED_LOG_PREFIX} ...) lists what was released. Every step is
 * best effort: a failure is logged and the next step runs. Nothing is released when this class
 * was loaded from the JVM's own class path (a MiniCluster or an IDE run): the libraries are then
 * shared with the rest of the JVM and are not the job's to tear down.
 *
 * <p>Operators register {@link #releaseWith(UserCodeClassLoader)} or {@link
 * #releaseWith(RuntimeContext)} when they open; Flink keeps one hook per class loader and runs it
 * when the last task of the job on that JVM has ended. A job's {@code main()} gets no such hook:
 * code that touches Hadoop there uses {@link ScopedFileSystems}.
 */
public final class UserCodeResources {
  private static final Logger LOG = LoggerFactory.getLogger(UserCodeResources.class);

  /** The name of the release hook; Flink keeps the first hook registered under a name. */
  public static final String HOOK_NAME = "io.tributary.user-code-resources";

  /** Start of the INFO line that lists what {@link #release} released. */
  public static final String RELEASED_LOG_PREFIX = "Released user-code resources of";

  /** How long {@link #release} waits in total for interrupted threads to end. */
  public static final long THREAD_STOP_MILLIS = 5_000;

  private UserCodeResources() {}

  /** Registers {@link #release} to run when Flink releases this user-code class loader. */
  public static void releaseWith(UserCodeClassLoader userCodeClassLoader) {
    ClassLoader loader = userCodeClassLoader.asClassLoader();
    userCodeClassLoader.registerReleaseHookIfAbsent(HOOK_NAME, () -> release(loader));
  }

  /** Registers {@link #release} to run when Flink releases the class loader of this function. */
  public static void releaseWith(RuntimeContext context) {
    ClassLoader loader = context.getUserCodeClassLoader();
    context.registerUserCodeClassLoaderReleaseHookIfAbsent(HOOK_NAME, () -> release(loader));
  }

  /**
   * Releases what this class's own class loader (and {@code released}, the wrapper Flink hands
   * out for it) left in JVM-wide places; see the class comment. Idempotent.
   *
   * @return what was released
   */
  public static Report release(ClassLoader released) {
    ClassLoader own = UserCodeResources.class.getClassLoader();
    Report report = new Report();
    if (onJvmClassPath(own)) {
      LOG.debug("Not releasing user-code resources: {} is on the JVM class path", UserCodeResources.class.getName());
      return report;
    }
    Set<ClassLoader> owned = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    owned.add(own);
    if (released != null) {
      owned.add(released);
    }
    step("Hadoop", () -> HadoopRelease.release(own, report));
    step("JDBC drivers", () -> deregisterDrivers(owned, report));
    step("MBeans", () -> unregisterMBeans(owned, report));
    step("shutdown hooks", () -> removeShutdownHooks(owned, report));
    step("threads", () -> stopThreads(owned, own.getParent(), report));
    step("inherited access control contexts", () -> resetInheritedAccessControlContexts(owned, report));
    LOG.info("{} {}: {}", RELEASED_LOG_PREFIX, own, report);
    return report;
  }

  /**
   * For a job's {@code main()}, once it is done with Hadoop (the tables are checked): Flink runs
   * {@code main()} in a class loader that gets no release hook, and even scoped file systems
   * leave Hadoop's statistics cleaner thread and JVM shutdown hook behind, which would keep that
   * class loader alive in the JobManager after every submission. Releases only Hadoop's part (as
   * {@link #release}, plus the shutdown hooks and MBeans of Hadoop's classes) and the access
   * control contexts other threads inherited from {@code main()}'s stack, and interrupts no
   * other thread, so a job running in the same class loader is not disturbed. Does nothing when
   * this class is on the JVM class path.
   */
  public static void afterMain() {
    ClassLoader own = UserCodeResources.class.getClassLoader();
    if (onJvmClassPath(own)) {
      return;
    }
    Report report = new Report();
    Set<ClassLoader> owned = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    owned.add(own);
    step("Hadoop", () -> HadoopRelease.release(own, report));
    step("MBeans", () -> unregisterMBeans(owned, report));
    step("shutdown hooks", () -> removeShutdownHooks(owned, report));
    // main() runs on a JobManager thread: a pool thread created meanwhile inherited its stack's context.
    step("inherited access control contexts", () -> resetInheritedAccessControlContexts(owned, report));
    LOG.info("{} main() in {}: {}", RELEASED_LOG_PREFIX, own, report);
  }

  /**
   * Whether {@code type} was loaded by a job's own class loader (a Flink user-code class loader),
   * not from the JVM's class path, where other code shares its libraries.
   */
  public static boolean loadedByJobClassLoader(Class<?> type) {
    return !onJvmClassPath(type.getClassLoader());
  }

  private static boolean onJvmClassPath(ClassLoader loader) {
    for (ClassLoader l = ClassLoader.getSystemClassLoader(); l != null; l = l.getParent()) {
      if (l == loader) {
        return true;
      }
    }
    return loader == null;
  }

  private static void step(String what, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Could not release {} of the job's class loader", what, e);
    }
  }

  static boolean owns(Set<ClassLoader> owned, Class<?> type) {
    return type != null && owned.contains(type.getClassLoader());
  }

  private static void deregisterDrivers(Set<ClassLoader> owned, Report report) {
    Enumeration<Driver> drivers = DriverManager.getDrivers();
    while (drivers.hasMoreElements()) {
      Driver d = drivers.nextElement();
      if (owns(owned, d.getClass())) {
        try {
          DriverManager.deregisterDriver(d);
          report.drivers.add(d.getClass().getName());
        } catch (SQLException e) {
          LOG.warn("Could not deregister JDBC driver {}", d.getClass().getName(), e);
        }
      }
    }
  }

  private static void unregisterMBeans(Set<ClassLoader> owned, Report report) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (ObjectName name : server.queryNames(null, null)) {
      try {
        if (owned.contains(server.getClassLoaderFor(name))) {
          server.unregisterMBean(name);
          report.mbeans.add(name.toString());
        }
      } catch (javax.management.JMException e) {
        // Unregistered meanwhile, or not ours to remove.
      }
    }
  }

  private static void removeShutdownHooks(Set<ClassLoader> owned, Report report) {
    List<Thread> hooks;
    try {
      Class<?> type = Class.forName("java.lang.ApplicationShutdownHooks");
      Field field = type.getDeclaredField("hooks");
      field.setAccessible(true);
      synchronized (type) {
        java.util.Map<?, ?> map = (java.util.Map<?, ?>) field.get(null);
        if (map == null) {
          return; // the JVM is shutting down: the hooks run now
        }
        hooks = new ArrayList<>();
        for (Object hook : map.keySet()) {
          hooks.add((Thread) hook);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot list the JVM shutdown hooks ({}); hooks registered by the job's libraries (Hadoop's"
          + " ShutdownHookManager) keep its class loader alive. Start the JVM with"
          + " --add-opens=java.base/java.lang=ALL-UNNAMED to release them.", e.toString());
      return;
    }
    for (Thread hook : hooks) {
      if (owns(owned, hook.getClass()) || owned.contains(hook.getContextClassLoader())) {
        try {
          if (Runtime.getRuntime().removeShutdownHook(hook)) {
            report.shutdownHooks.add(hook.getClass().getName());
          }
        } catch (IllegalStateException shuttingDown) {
          return;
        }
      }
    }
  }

  private static void stopThreads(Set<ClassLoader> owned, ClassLoader parent, Report report) {
    List<Thread> stopping = new ArrayList<>();
    Field target = runnableField();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t != Thread.currentThread() && t.isAlive()
          && (owns(owned, t.getClass()) || owned.contains(t.getContextClassLoader()) || runsOwned(t, target, owned))) {
        shutDownSdkV1Reaper(t);
        t.interrupt();
        stopping.add(t);
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(THREAD_STOP_MILLIS);
    for (Thread t : stopping) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        if (left > 0) {
          t.join(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (t.isAlive() && !owns(owned, t.getClass())) {
        // A JDK or runtime pool thread that only inherited the context class loader (the JDK's
        // "process reaper" after Hadoop ran a shell command): it may live on, but not hold us.
        t.setContextClassLoader(parent);
        report.detachedThreads.add(t.getName());
      } else if (t.isAlive()) {
        report.survivingThreads.add(t.getName());
      } else {
        report.stoppedThreads.add(t.getName());
      }
    }
    if (!report.survivingThreads.isEmpty()) {
      LOG.warn("Threads of the job's class loader still run after {} ms and keep it alive: {}",
          THREAD_STOP_MILLIS, report.survivingThreads);
    }
  }

  @SuppressWarnings({"deprecation", "removal"})
  private static void resetInheritedAccessControlContexts(Set<ClassLoader> owned, Report report) {
    if (System.getSecurityManager() != null) {
      LOG.debug("A SecurityManager is installed: inherited access control contexts are left as they are");
      return;
    }
    Field field;
    try {
      field = Thread.class.getDeclaredField("inheritedAccessControlContext");
      field.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Cannot reset the access control contexts threads inherited from the job ({}); pool threads"
          + " created while the job ran may keep its class loader. Run the JVM with"
          + " --add-opens=java.base/java.lang=ALL-UNNAMED to release them.", e.toString());
      return;
    }
    AccessControlContext empty = new AccessControlContext(new ProtectionDomain[0]);
    int reset = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (owns(owned, t.getClass())) {
        continue; // stopped above, or named in the WARN
      }
      try {
        if (field.get(t) != null) {
          field.set(t, empty);
          reset++;
        }
      } catch (IllegalAccessException e) {
        return;
      }
    }
    report.accessContexts = reset;
  }

  /**
   * The AWS SDK v1 (shaded into the Kinesis connector) reaps idle connections on a thread that
   * swallows interrupts and sleeps a minute between checks; its static {@code shutdown()} ends it.
   */
  private static void shutDownSdkV1Reaper(Thread t) {
    if (t.getClass().getName().endsWith("com.amazonaws.http.IdleConnectionReaper")) {
      try {
        t.getClass().getMethod("shutdown").invoke(null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        LOG.debug("Cannot shut down {}", t.getName(), e);
      }
    }
  }

  /** {@code Thread.target}, readable when java.lang is open to us (Flink's default); else null. */
  private static Field runnableField() {
    try {
      Field f = Thread.class.getDeclaredField("target");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("Cannot read the Runnable of threads", e);
      return null;
    }
  }

  /** Whether {@code t} runs a Runnable of ours ({@code new Thread(runnable)}, context class loader null). */
  private static boolean runsOwned(Thread t, Field target, Set<ClassLoader> owned) {
    if (target == null) {
      return false;
    }
    try {
      Object runnable = target.get(t);
      return runnable != null && owns(owned, runnable.getClass());
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  /** What one {@link #release} released, by name. */
  public static final class Report {
    final List<String> fileSystems = new ArrayList<>();
    final List<String> drivers = new ArrayList<>();
    final List<String> mbeans = new ArrayList<>();
    final List<String> shutdownHooks = new ArrayList<>();
    final List<String> stoppedThreads = new ArrayList<>();
    final List<String> detachedThreads = new ArrayList<>();
    final List<String> survivingThreads = new ArrayList<>();
    int accessContexts;

    /** Names of the threads that were still alive when {@link #release} gave up waiting. */
    public List<String> survivingThreads() {
      return Collections.unmodifiableList(survivingThreads);
    }

    /** Names of the threads that ended. */
    public List<String> stoppedThreads() {
      return Collections.unmodifiableList(stoppedThreads);
    }

    @Override
    public String toString() {
      return "file systems " + fileSystems + ", JDBC drivers " + drivers + ", MBeans " + mbeans
          + ", shutdown hooks " + shutdownHooks + ", stopped threads " + stoppedThreads
          + ", context class loader reset on threads " + detachedThreads
          + ", inherited access control context reset on " + accessContexts + " threads"
          + (survivingThreads.isEmpty() ? "" : ", SURVIVING threads " + survivingThreads);
    }
  }

  /** Hadoop's part, in a class of its own so the rest works without Hadoop on the class path. */
  private static final class HadoopRelease {
    static void release(ClassLoader own, Report report) {
      Class<?> fileSystem;
      try {
        fileSystem = Class.forName("org.apache.hadoop.fs.FileSystem", false, own);
      } catch (ClassNotFoundException e) {
        return;
      }
      if (fileSystem.getClassLoader() != own) {
        return; // the runtime's Hadoop, shared with other jobs
      }
      try {
        org.apache.hadoop.fs.FileSystem.closeAll();
        report.fileSystems.add("all cached");
      } catch (java.io.IOException e) {
        LOG.warn("Could not close every Hadoop file system", e);
      }
      org.apache.hadoop.util.ShutdownHookManager.get().clearShutdownHooks();
      idleQuantilesScheduler();
      stopStatisticsCleaner();
    }

    /**
     * The statistics cleaner is a plain {@code Thread} (context class loader null) running a
     * Hadoop Runnable, started once per class loader; it ends when interrupted.
     */
    private static void stopStatisticsCleaner() {
      try {
        Field f = org.apache.hadoop.fs.FileSystem.Statistics.class.getDeclaredField("STATS_DATA_CLEANER");
        f.setAccessible(true);
        Thread cleaner = (Thread) f.get(null);
        if (cleaner != null && cleaner.isAlive()) {
          cleaner.interrupt();
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.warn("Could not stop Hadoop's StatisticsDataReferenceCleaner thread", e);
      }
    }

    /**
     * {@code MutableQuantiles} schedules on a static executor whose thread never ends; closed file
     * systems cancelled their tasks. Dropping the cancelled tasks and letting core threads time out
     * ends the thread, and the executor still works should the class loader be used again.
     */
    private static void idleQuantilesScheduler() {
      try {
        Field f = org.apache.hadoop.metrics2.lib.MutableQuantiles.class.getDeclaredField("scheduler");
        f.setAccessible(true);
        Object scheduler = f.get(null);
        if (scheduler instanceof ScheduledThreadPoolExecutor) {
          ScheduledThreadPoolExecutor executor = (ScheduledThreadPoolExecutor) scheduler;
          executor.purge();
          executor.setKeepAliveTime(1, TimeUnit.MILLISECONDS);
          executor.allowCoreThreadTimeOut(true);
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.debug("MutableQuantiles scheduler not found", e);
      }
    }
  }
}
