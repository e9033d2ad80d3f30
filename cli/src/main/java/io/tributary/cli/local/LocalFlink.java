package io.tributary.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink MiniCluster in this JVM with the web UI on a free port of 127.0.0.1, checkpoints and
 * savepoints under the data directory, and the jobs of the local platform: each is submitted
 * resuming from its newest savepoint or retained checkpoint, and stopped with a savepoint.
 */
final class LocalFlink implements AutoCloseable {
  private final MiniCluster cluster;
  private final Path flinkDir;

  LocalFlink(Path flinkDir, int slots, int webUiPort) throws Exception {
    this.flinkDir = flinkDir;
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.PORT, webUiPort);
    conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
    conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
    conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
    conf.set(org.apache.flink.configuration.CoreOptions.CHECK_LEAKED_CLASSLOADER, false);
    this.cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(slots).build());
    cluster.start();
  }

  /** The web UI, e.g. {@code http://127.0.0.1:40123}. */
  URI webUi() throws Exception {
    return cluster.getRestAddress().get(30, TimeUnit.SECONDS);
  }

  /** An environment whose checkpoints go to {@code <flink>/checkpoints/<name>}. */
  StreamExecutionEnvironment environment(String name) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints(name).toUri().toString());
    conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints(name).toUri().toString());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    return env;
  }

  /** Submits the job built on {@code env}, resuming from {@code restoreFrom} if present. */
  JobID submit(StreamExecutionEnvironment env, String jobName, Optional<String> restoreFrom) throws Exception {
    org.apache.flink.streaming.api.graph.StreamGraph graph = env.getStreamGraph();
    graph.setJobName(jobName);
    JobGraph job = graph.getJobGraph();
    restoreFrom.ifPresent(p -> job.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(p, false)));
    return cluster.submitJob(job).get(2, TimeUnit.MINUTES).getJobID();
  }

  JobStatus status(JobID job) throws Exception {
    return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
  }

  /** Stops with a savepoint (the sinks commit the last checkpoint's data) and returns its path. */
  String stopWithSavepoint(JobID job, String name, Duration timeout) throws Exception {
    return cluster.stopWithSavepoint(job, savepoints(name).toUri().toString(), false, SavepointFormatType.CANONICAL)
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The newest savepoint or retained checkpoint of job {@code name} from earlier runs: after a
   * clean stop that is the final savepoint, after a crash the last completed checkpoint.
   */
  Optional<String> newestRestorePoint(String name) {
    Optional<Path> newest = Stream.of(checkpoints(name), savepoints(name))
        .filter(Files::isDirectory)
        .flatMap(LocalFlink::metadataFiles)
        .max(Comparator.comparingLong(LocalFlink::modified));
    return newest.map(p -> p.getParent().toUri().toString());
  }

  private static Stream<Path> metadataFiles(Path dir) {
    try (Stream<Path> s = Files.walk(dir, 3)) {
      return s.filter(p -> p.getFileName().toString().equals("_metadata")).collect(java.util.stream.Collectors.toList()).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  Path checkpoints(String name) {
    return flinkDir.resolve("checkpoints").resolve(name);
  }

  Path savepoints(String name) {
    return flinkDir.resolve("savepoints").resolve(name);
  }

  void cancel(JobID job, Consumer<String> log) {
    try {
      cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.accept("could not cancel " + job + ": " + e.getMessage());
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
