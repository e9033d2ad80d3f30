package io.tributary.delta.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.DeltaSinkOptions;
import io.tributary.delta.testing.ChildFirstJob;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.delta.testing.S3ProxyExtension;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in a Flink-style child-first class loader, written to a local table and to S3, then
 * released as a cluster releases a job: nothing may keep the class loader alive, and the next
 * job's class loader works the same.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserCodeResourcesTest {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  @TempDir Path tmp;

  private Map<String, String> settings(String run) {
    Map<String, String> settings = new TreeMap<>();
    settings.put("table.local", tmp.resolve(run).toString());
    settings.put("table.s3", S3.uri("release/" + run));
    S3.hadoopConf().forEach((k, v) -> settings.put(DeltaSinkOptions.HADOOP_PREFIX + k, v));
    return settings;
  }

  @Test
  @Order(1)
  void releasedJobLeavesNothingBehindAndTheNextJobWorks() throws Exception {
    for (String run : new String[] {"first", "second"}) {
      ChildFirstJob job = ChildFirstJob.create();
      Map<String, String> result = job.run("io.tributary.delta.ReleaseProbe", settings(run));
      assertThat(result).containsEntry("local", "committed").containsEntry("s3", "committed");
      assertThat(job.hookNames()).containsExactly(UserCodeResources.HOOK_NAME);
      ClassLoader defining = Class.forName(UserCodeResources.class.getName(), false, job.classLoader()).getClassLoader();
      Set<ClassLoader> owned = identitySet(job.classLoader(), defining);
      // What the release must undo is really there: otherwise this test proves nothing.
      assertThat(threadsOf(owned)).isNotEmpty();
      assertThat(shutdownHooksOf(owned)).isNotEmpty();
      assertThat(mbeansOf(owned)).isNotEmpty();

      WeakReference<ClassLoader> wrapper = job.release(true);
      assertThat(threadsOf(owned)).isEmpty();
      assertThat(shutdownHooksOf(owned)).isEmpty();
      assertThat(mbeansOf(owned)).isEmpty();
      WeakReference<ClassLoader> inner = new WeakReference<>(defining);
      defining = null;
      owned = null;
      assertThat(ChildFirstJob.collected(wrapper)).as("user-code class loader collected").isTrue();
      assertThat(ChildFirstJob.collected(inner)).as("child-first class loader collected").isTrue();
      assertThat(DeltaTestTables.readAll(S3.uri("release/" + run), S3.hadoopConf())).hasSize(10);
      assertThat(DeltaTestTables.readAll(tmp.resolve(run).toString(), Collections.emptyMap())).hasSize(10);
    }
  }

  /** Without the release hook the same job leaks its class loader: what the test above guards. */
  @Test
  @Order(2)
  void withoutTheReleaseHookTheClassLoaderLeaks() throws Exception {
    ChildFirstJob job = ChildFirstJob.create();
    job.run("io.tributary.delta.ReleaseProbe", settings("unreleased"));
    assertLeaksAndCleanUp(job);
  }

  /** main() gets no release hook: what building the sinks left must be gone when it returns. */
  @Test
  @Order(3)
  void mainLeavesNothingBehindOnceItReleasedHadoop() throws Exception {
    ChildFirstJob job = ChildFirstJob.create();
    Map<String, String> result = job.run("io.tributary.delta.MainProbe", settings("main"));
    assertThat(result).containsEntry("local", "built").containsEntry("s3", "built");
    ClassLoader defining = Class.forName(UserCodeResources.class.getName(), false, job.classLoader()).getClassLoader();
    Set<ClassLoader> owned = identitySet(job.classLoader(), defining);
    assertThat(threadsOf(owned)).isEmpty();
    assertThat(shutdownHooksOf(owned)).isEmpty();
    assertThat(mbeansOf(owned)).isEmpty();
    WeakReference<ClassLoader> inner = new WeakReference<>(defining);
    defining = null;
    owned = null;
    WeakReference<ClassLoader> wrapper = job.release(false);
    assertThat(ChildFirstJob.collected(wrapper)).as("main()'s class loader collected").isTrue();
    assertThat(ChildFirstJob.collected(inner)).isTrue();
  }

  /** Without afterMain(), main()'s class loader stays alive: what the test above guards. */
  @Test
  @Order(4)
  void withoutAfterMainTheClassLoaderOfMainLeaks() throws Exception {
    ChildFirstJob job = ChildFirstJob.create();
    Map<String, String> settings = settings("main-unreleased");
    settings.put("afterMain", "false");
    job.run("io.tributary.delta.MainProbe", settings);
    assertLeaksAndCleanUp(job);
  }

  /**
   * A runtime pool thread created while the job's code was on the stack keeps the job's class
   * loader through the access control context it inherited; the release must let it go, and the
   * pool thread goes on serving other jobs.
   */
  @Test
  @Order(5)
  void poolThreadCreatedUnderJobCodeDoesNotKeepTheClassLoader() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      ChildFirstJob job = ChildFirstJob.create();
      assertThat(job.run("io.tributary.delta.PoolThreadProbe", (Object) pool)).isEqualTo("submitted");
      WeakReference<ClassLoader> inner = new WeakReference<>(
          Class.forName("io.tributary.delta.PoolThreadProbe", false, job.classLoader()).getClassLoader());
      WeakReference<ClassLoader> wrapper = job.release(true);
      assertThat(ChildFirstJob.collected(wrapper)).as("user-code class loader collected").isTrue();
      assertThat(ChildFirstJob.collected(inner)).as("child-first class loader collected while the pool thread lives")
          .isTrue();
      assertThat(pool.submit(() -> "still serving").get()).isEqualTo("still serving");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Closes the job without its release hooks and checks that its class loader stays alive, held
   * by threads and shutdown hooks; then releases it, so later tests run in a clean JVM.
   */
  private static void assertLeaksAndCleanUp(ChildFirstJob job) throws Exception {
    Class<?> resources = Class.forName(UserCodeResources.class.getName(), true, job.classLoader());
    // Loaded now, so that the clean-up below still works once the class loader is closed.
    for (Class<?> nested : resources.getDeclaredClasses()) {
      Class.forName(nested.getName(), true, job.classLoader());
    }
    Set<ClassLoader> owned = identitySet(job.classLoader(), resources.getClassLoader());
    assertThat(threadsOf(owned)).isNotEmpty();
    assertThat(shutdownHooksOf(owned)).isNotEmpty();
    owned = null;
    WeakReference<Class<?>> release = new WeakReference<>(resources);
    resources = null;
    WeakReference<ClassLoader> ref = job.release(false);
    assertThat(ChildFirstJob.collected(ref, 10)).as("class loader collected although not released").isFalse();
    release.get().getMethod("release", ClassLoader.class).invoke(null, ref.get());
  }

  private static Set<ClassLoader> identitySet(ClassLoader... loaders) {
    Set<ClassLoader> set = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Collections.addAll(set, loaders);
    return set;
  }

  private static List<String> threadsOf(Set<ClassLoader> owned) throws Exception {
    Field target = Thread.class.getDeclaredField("target");
    target.setAccessible(true);
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      Object runnable = target.get(t);
      if (t.isAlive() && (owned.contains(t.getClass().getClassLoader()) || owned.contains(t.getContextClassLoader())
          || (runnable != null && owned.contains(runnable.getClass().getClassLoader())))) {
        names.add(t.getName());
      }
    }
    return names;
  }

  private static List<String> shutdownHooksOf(Set<ClassLoader> owned) throws Exception {
    Class<?> type = Class.forName("java.lang.ApplicationShutdownHooks");
    Field field = type.getDeclaredField("hooks");
    field.setAccessible(true);
    List<String> hooks = new ArrayList<>();
    synchronized (type) {
      for (Object o : ((Map<?, ?>) field.get(null)).keySet()) {
        Thread t = (Thread) o;
        if (owned.contains(t.getClass().getClassLoader()) || owned.contains(t.getContextClassLoader())) {
          hooks.add(t.getClass().getName());
        }
      }
    }
    return hooks;
  }

  private static List<String> mbeansOf(Set<ClassLoader> owned) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    List<String> names = new ArrayList<>();
    for (ObjectName name : server.queryNames(new ObjectName("Hadoop:*"), null)) {
      try {
        if (owned.contains(server.getClassLoaderFor(name))) {
          names.add(name.toString());
        }
      } catch (javax.management.InstanceNotFoundException gone) {
        // unregistered meanwhile
      }
    }
    return names;
  }
}
