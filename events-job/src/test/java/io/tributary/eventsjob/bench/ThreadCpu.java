package io.tributary.eventsjob.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of one run split by the events pipeline's threads, so a benchmark can say where extra
 * CPU went, not only how much. Samples every live thread's CPU time every {@value #PERIOD_MS} ms
 * and adds each delta to the group of the thread's name; a thread that ends between two samples
 * loses at most its last period. What the process spent outside Java threads (garbage collection,
 * JIT compilation, the VM) is the process CPU time minus the Java threads' sum.
 */
final class ThreadCpu implements AutoCloseable {
  static final long PERIOD_MS = 100;

  /** Groups, in print order. */
  static final String PARSE = "source + parse/route + quarantine writer";
  static final String DEDUP = "dedup + atomic_events writer";
  static final String ASYNC = "asynchronous checkpoint parts";
  static final String OTHER = "other Java threads";
  static final String VM = "GC, JIT and VM (process - Java threads)";
  static final List<String> GROUPS = List.of(PARSE, DEDUP, ASYNC, OTHER, VM);

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> last = new HashMap<>();
  private final Map<String, Long> nanos = new LinkedHashMap<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-thread-cpu");
    t.setDaemon(true);
    return t;
  });
  private final long processStart;
  private Map<String, Double> result;

  ThreadCpu() {
    for (String g : GROUPS.subList(0, GROUPS.size() - 1)) { // VM: derived in close()
      nanos.put(g, 0L);
    }
    processStart = LoadProfileBenchmark.processCpuNanos();
    sample(); // the baseline of threads that already run
    nanos.replaceAll((g, v) -> 0L);
    sampler.scheduleAtFixedRate(this::sample, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (cpu < 0 || infos[i] == null) {
        continue;
      }
      Long before = last.put(ids[i], cpu);
      nanos.merge(group(infos[i].getThreadName()), cpu - (before == null ? 0 : before), Long::sum);
    }
  }

  static String group(String name) {
    if (name.startsWith("Source:")) {
      return PARSE;
    }
    if (name.startsWith("Deduplicate")) {
      return DEDUP;
    }
    if (name.startsWith("AsyncOperations")) {
      return ASYNC;
    }
    return OTHER;
  }

  /** Stops sampling; {@link #seconds()} holds the split from then on. */
  @Override
  public synchronized void close() {
    sampler.shutdownNow();
    sample();
    long process = LoadProfileBenchmark.processCpuNanos() - processStart;
    long java = nanos.values().stream().mapToLong(Long::longValue).sum();
    result = new LinkedHashMap<>();
    nanos.forEach((g, v) -> result.put(g, v / 1e9));
    result.put(VM, Math.max(0, process - java) / 1e9);
  }

  /** CPU seconds per group, in print order, after {@link #close()}. */
  synchronized Map<String, Double> seconds() {
    if (result == null) {
      throw new IllegalStateException("still sampling");
    }
    return result;
  }
}
