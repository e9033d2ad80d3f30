package io.tributary.delta.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The Flink MiniCluster that integration tests register: one TaskManager, as each job runs in
 * its deployments, with as many slots as the test's jobs need.
 *
 * <pre>{@code @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);}</pre>
 */
public final class TestClusters {
  private TestClusters() {}

  /** @param slots task slots of the one TaskManager */
  public static MiniClusterExtension miniCluster(int slots) {
    return miniCluster(slots, new Configuration());
  }

  /**
   * @param slots task slots of the one TaskManager
   * @param configuration cluster settings, e.g. a metric reporter's
   */
  public static MiniClusterExtension miniCluster(int slots, Configuration configuration) {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(configuration)
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(slots)
            .build());
  }

  /**
   * A cluster for jobs that write through S3A. Hadoop caches S3A file systems JVM-wide, holding
   * the first job's class loader, and Flink's leaked-class-loader check would then fail later jobs,
   * so the check is off (deployments run one job per JVM).
   */
  public static MiniClusterExtension s3MiniCluster(int slots) {
    Configuration c = new Configuration();
    c.set(CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    return miniCluster(slots, c);
  }

  /**
   * Waits up to a minute for {@code job} to end, checks that it FAILED, and returns its failure
   * with every cause as text.
   */
  public static String failureOf(org.apache.flink.client.program.ClusterClient<?> client,
      org.apache.flink.api.common.JobID job) throws Exception {
    org.apache.flink.runtime.jobmaster.JobResult result =
        client.requestJobResult(job).get(60, java.util.concurrent.TimeUnit.SECONDS);
    if (!"FAILED".equals(result.getApplicationStatus().name())) {
      throw new AssertionError("job " + job + " ended " + result.getApplicationStatus() + ", expected FAILED");
    }
    return org.apache.flink.util.ExceptionUtils.stringifyException(
        result.getSerializedThrowable().get().deserializeError(TestClusters.class.getClassLoader()));
  }
}
