package io.tributary.eventsjob;

import io.tributary.delta.testing.TestClusters;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The job's counters, summed over subtasks, read from an in-memory reporter on a test MiniCluster. */
final class JobCounters {
  private final InMemoryReporter reporter = InMemoryReporter.createWithRetainedMetrics();

  /** A MiniCluster (1 TaskManager, 4 slots) reporting to these counters. */
  MiniClusterExtension miniCluster() {
    return TestClusters.miniCluster(4, reporter.addToConfiguration(new Configuration()));
  }

  InMemoryReporter reporter() {
    return reporter;
  }

  /** Sum of the job's counters named exactly {@code name} (per-reason and Managed Flink copies excluded). */
  long sum(JobID job, String name) {
    return sum(job, name, id -> id.endsWith("." + name) && !id.contains(".reason.")
        && !id.contains("." + RouteEvents.MANAGED_FLINK_GROUP + "."));
  }

  /** Sum of the counter {@code name} in the {@code kinesisanalytics} group (what Managed Flink exports). */
  long managedFlinkSum(JobID job, String name) {
    return sum(job, name, id -> id.endsWith("." + RouteEvents.MANAGED_FLINK_GROUP + "." + name));
  }

  /** Waits until {@link #sum} reaches {@code expected}. */
  void await(JobID job, String name, long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sum(job, name) < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + name + " = " + expected + ", is " + sum(job, name));
      }
      Thread.sleep(100);
    }
  }

  private long sum(JobID job, String name, java.util.function.Predicate<String> selected) {
    Map<String, Long> values = new HashMap<>();
    reporter.findMetrics(job, name).forEach((id, metric) -> {
      if (selected.test(id) && metric instanceof Counter) {
        values.put(id, ((Counter) metric).getCount());
      }
    });
    return values.values().stream().mapToLong(Long::longValue).sum();
  }
}
