package io.tributary.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Checkpoint settings shared by every job. Data reaches Delta once per completed checkpoint, so
 * the interval is also the freshness of the silver tables.
 *
 * <p>On Managed Flink the service owns checkpointing (the application's
 * {@code CheckpointConfiguration}); {@link #apply} then leaves it alone unless the job was given
 * {@code checkpoint.interval} explicitly.
 */
public final class CheckpointOptions {

  public static final ConfigOption<Duration> INTERVAL =
      ConfigOptions.key("checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription("Checkpoint (and Delta commit) interval.");

  public static final ConfigOption<Duration> MIN_PAUSE =
      ConfigOptions.key("checkpoint.min-pause")
          .durationType()
          .defaultValue(Duration.ZERO)
          .withDescription("Minimum pause between the end of one checkpoint and the start of the next.");

  public static final ConfigOption<Duration> TIMEOUT =
      ConfigOptions.key("checkpoint.timeout")
          .durationType()
          .defaultValue(Duration.ofMinutes(10))
          .withDescription("A checkpoint taking longer is aborted.");

  public static final ConfigOption<Integer> TOLERABLE_FAILURES =
      ConfigOptions.key("checkpoint.tolerable-failures")
          .intType()
          .defaultValue(3)
          .withDescription("Consecutive failed checkpoints tolerated before the job restarts.");

  private CheckpointOptions() {}

  /** Enables exactly-once checkpointing on {@code env} per the parameters. */
  public static void apply(JobParameters params, StreamExecutionEnvironment env) {
    CheckpointConfig config = env.getCheckpointConfig();
    boolean configuredByCluster = config.isCheckpointingEnabled();
    if (configuredByCluster && !params.contains(INTERVAL.key())) {
      return;
    }
    Duration interval = params.get(INTERVAL);
    if (interval.toMillis() < 10) {
      throw new InvalidConfigurationException(INTERVAL.key() + " must be at least 10 ms, was " + interval);
    }
    env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    config.setMinPauseBetweenCheckpoints(params.get(MIN_PAUSE).toMillis());
    config.setCheckpointTimeout(params.get(TIMEOUT).toMillis());
    config.setTolerableCheckpointFailureNumber(params.get(TOLERABLE_FAILURES));
    config.setExternalizedCheckpointCleanup(
        CheckpointConfig.ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
  }

  /** Every option above: the keys {@link #apply} reads. */
  public static final java.util.List<ConfigOption<?>> ALL = java.util.List.of(INTERVAL, MIN_PAUSE, TIMEOUT, TOLERABLE_FAILURES);
}
