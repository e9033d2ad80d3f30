package io.tributary.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * Runs benchmark jobs on one {@link MiniCluster} that is started before anything is timed, the way
 * a long-running cluster serves a streaming job, and times each job from submission to FINISHED.
 *
 * <p>A bounded job with checkpointing can only finish after one more checkpoint once its input
 * ends; with a periodic interval that is idle waiting a streaming job never has. With {@code
 * immediateFinalCheckpoint}, {@link #run} triggers that checkpoint as soon as {@code produced}
 * reaches the job's row count; the periodic checkpoints during the run are unchanged.
 */
public final class MiniClusterJobs implements AutoCloseable {

  /** Timing of one job. */
  public static final class JobRun {
    /** Submission to FINISHED (after the final checkpoint and commit). */
    public double seconds;
    /** Submission to the last row produced by the source. */
    public double generatedSeconds;
    /** Flink's own job run time (scheduling included, submission excluded). */
    public double netSeconds;
    /** Completed checkpoints, or -1 if unknown. */
    public long checkpoints;
  }

  private final MiniCluster cluster;

  /**
   * Starts a MiniCluster with one TaskManager of {@code parallelism} slots, no restarts, and
   * {@code conf} on top (e.g. checkpoint storage).
   */
  public MiniClusterJobs(int parallelism, Configuration conf) throws Exception {
    Configuration c = new Configuration(conf);
    c.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
    c.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    this.cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
    cluster.start();
  }

  /**
   * Submits {@code job} and waits until it is FINISHED; throws the job's failure.
   *
   * @param produced rows the source has produced so far (read from this JVM while the job runs)
   * @param rows the job's total input rows
   */
  public JobRun run(JobGraph job, LongSupplier produced, long rows, boolean immediateFinalCheckpoint)
      throws Exception {
    JobRun out = new JobRun();
    long start = System.nanoTime();
    JobID id = cluster.submitJob(job).get().getJobID();
    CompletableFuture<JobResult> result = cluster.requestJobResult(id);
    long generated = -1;
    while (!result.isDone()) {
      if (generated < 0 && produced.getAsLong() >= rows) {
        generated = System.nanoTime();
      }
      if (generated >= 0 && immediateFinalCheckpoint) {
        // Repeated if the job does not finish, in case that checkpoint raced the end of input.
        // A checkpoint already running may be the final one: let it finish first.
        if (checkpointInProgress(id)) {
          await(result, 20);
          continue;
        }
        boolean completed;
        try {
          cluster.triggerCheckpoint(id, CheckpointType.CONFIGURED).get(5, TimeUnit.SECONDS);
          completed = true;
        } catch (ExecutionException | TimeoutException e) {
          completed = false; // declined, e.g. the job is already finishing: the loop re-checks
        }
        await(result, completed ? 1_000 : 50);
      } else {
        await(result, 2);
      }
    }
    long end = System.nanoTime();
    JobResult r = result.get();
    r.toJobExecutionResult(getClass().getClassLoader()); // throws the job's failure
    out.seconds = (end - start) / 1e9;
    out.generatedSeconds = ((generated < 0 ? end : generated) - start) / 1e9;
    out.netSeconds = r.getNetRuntime() / 1e3;
    out.checkpoints = completedCheckpoints(id);
    return out;
  }

  private static void await(CompletableFuture<?> f, long millis) throws InterruptedException {
    try {
      f.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running, or failed: the caller looks at the result
    }
  }

  private boolean checkpointInProgress(JobID id) {
    try {
      CheckpointStatsSnapshot stats = cluster.getExecutionGraph(id).get(5, TimeUnit.SECONDS).getCheckpointStatsSnapshot();
      return stats != null && stats.getCounts().getNumberOfInProgressCheckpoints() > 0;
    } catch (Exception e) {
      return false; // finished or finishing: the caller's loop re-checks the result
    }
  }

  private long completedCheckpoints(JobID id) {
    try {
      ArchivedExecutionGraph graph = cluster.getArchivedExecutionGraph(id).get(30, TimeUnit.SECONDS);
      CheckpointStatsSnapshot stats = graph.getCheckpointStatsSnapshot();
      return stats == null ? -1 : stats.getCounts().getNumberOfCompletedCheckpoints();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Stops the MiniCluster. */
  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
