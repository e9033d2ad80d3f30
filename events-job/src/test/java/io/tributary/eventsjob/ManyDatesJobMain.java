package io.tributary.eventsjob;

import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the events job on a MiniCluster (one TaskManager, one slot) inside a JVM of its own, so
 * {@link ManyDatesITCase} can give it the heap of a default TaskManager. Arguments: {@code
 * key=value} job parameters plus {@code test.expected-files}. Periodic checkpoints are an hour
 * apart; the first checkpoint is triggered once the atomic_events writer has opened {@code
 * test.expected-files} data files, so it covers every row, however fast the machine is. Runs until
 * the parent ends the process; exits 1 as soon as the job ends by itself (no restarts: an
 * OutOfMemoryError fails it).
 */
public final class ManyDatesJobMain {
  private ManyDatesJobMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> params = new HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      params.put(a.substring(0, eq), a.substring(eq + 1));
    }
    long expectedFiles = Long.parseLong(params.remove("test.expected-files"));
    Map<String, String> env = Map.of("TEST_KINESIS_SECRET", System.getenv("TEST_KINESIS_SECRET"));
    EventsJobConfig config =
        EventsJobConfig.from(JobParameters.of(params), new Secrets(env::get, Secrets.fixed(Map.of())), env::get);

    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    MiniClusterConfiguration cluster =
        new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build();
    MiniCluster flink = new MiniCluster(cluster);
    flink.start();
    StreamExecutionEnvironment graph = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    graph.setParallelism(1);
    graph.enableCheckpointing(Duration.ofHours(1).toMillis());
    EventsJob.addTo(graph, config);
    JobID job = flink.submitJob(graph.getStreamGraph().getJobGraph()).get().getJobID();
    Path table = Paths.get(config.atomicEventsTablePath());
    boolean triggered = false;
    while (true) {
      JobStatus status = flink.getJobStatus(job).get();
      if (status.isGloballyTerminalState()) {
        System.out.println("JOB_ENDED=" + status);
        System.out.flush();
        Runtime.getRuntime().halt(1);
      }
      if (!triggered && dataFiles(table) >= expectedFiles) {
        System.out.println("CHECKPOINT_TRIGGERED");
        flink.triggerCheckpoint(job);
        triggered = true;
      }
      Thread.sleep(2000);
    }
  }

  private static long dataFiles(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }
}
