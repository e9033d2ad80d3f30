package io.tributary.eventsjob;

import io.tributary.config.CheckpointOptions;
import io.tributary.config.JobParameters;
import io.tributary.delta.runtime.UserCodeResources;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events job: JSON web events from a Kinesis data stream into the Delta silver table {@code
 * atomic_events}, bad records into {@code atomic_events_quarantine}, exactly once.
 *
 * <p>Entry points: {@link #main} for {@code flink run} and Managed Flink (parameters from
 * arguments, {@code --config file.properties}, and Managed Flink runtime properties); {@link
 * #addTo} for a caller that owns its environment (the local platform's MiniCluster, possibly with
 * other jobs). Neither keeps static state nor exits the JVM.
 */
public final class EventsJob {
  private static final Logger LOG = LoggerFactory.getLogger(EventsJob.class);

  public static final String JOB_NAME = "tributary events-job";

  private EventsJob() {}

  public static void main(String[] args) throws Exception {
    JobParameters params = JobParameters.load(args);
    EventsJobConfig config = EventsJobConfig.from(params);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    CheckpointOptions.apply(params, env);
    LOG.info("Starting {} with {}", JOB_NAME, config);
    try {
      addTo(env, config);
    } finally {
      // main() gets no release hook: let go of what checking the tables left in Hadoop.
      UserCodeResources.afterMain();
    }
    env.execute(JOB_NAME);
  }

  /**
   * Adds the events pipeline (source, parse, dedup, both Delta sinks) to {@code env}, creating or
   * checking both tables now. The caller enables checkpointing (see {@link CheckpointOptions})
   * and executes the environment.
   *
   * @throws io.tributary.config.InvalidConfigurationException never: {@code config} is already valid
   * @throws IllegalStateException when an existing table does not match the job's schema
   */
  public static void addTo(StreamExecutionEnvironment env, EventsJobConfig config) {
    EventsPipeline.addTo(env, config);
  }
}
