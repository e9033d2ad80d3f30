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
 * key=value} job parameters plus {@code test.expected-files} and {@code test.payloads} (a file of
 * payloads, one per line). The job is the events job's own graph ({@link EventsPipeline#route},
 * {@link EventsPipeline#sinkToDelta}) after a source that hands those payloads over as the Kinesis
 * source would (two shards, ascending sequence numbers), then stays idle. Periodic checkpoints are an hour
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
    String payloads = params.remove("test.payloads");
    Map<String, String> env = Map.of();
    EventsJobConfig config =
        EventsJobConfig.from(JobParameters.of(params), new Secrets(env::get, Secrets.fixed(Map.of())), env::get);

    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    // As in production: checkpoints in files. The committer's state for 20,000 data files (about
    // 30 MB) is far above the 5 MB limit of the JobManager's in-memory checkpoint storage.
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        Paths.get(payloads).resolveSibling("checkpoints").toUri().toString());
    MiniClusterConfiguration cluster =
        new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build();
    MiniCluster flink = new MiniCluster(cluster);
    flink.start();
    StreamExecutionEnvironment graph = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    graph.setParallelism(1);
    graph.enableCheckpointing(Duration.ofHours(1).toMillis());
    EventsPipeline.configure(graph);
    @SuppressWarnings("deprecation")
    org.apache.flink.streaming.api.datastream.DataStream<KinesisRecord> records =
        graph.addSource(new PayloadFileSource(payloads, config.streamName()), "payloads")
            .returns(KinesisRecord.class);
    EventsPipeline.sinkToDelta(EventsPipeline.route(records, config), config);
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

  /**
   * Emits every line of a file as one Kinesis record, alternating between two shard ids, then
   * idles until cancelled. No state: the job runs without restarts.
   */
  @SuppressWarnings("deprecation")
  static final class PayloadFileSource
      implements org.apache.flink.streaming.api.functions.source.SourceFunction<KinesisRecord> {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String stream;
    private volatile boolean running = true;

    PayloadFileSource(String file, String stream) {
      this.file = file;
      this.stream = stream;
    }

    @Override
    public void run(SourceContext<KinesisRecord> ctx) throws Exception {
      long sequence = 0;
      for (String line : Files.readAllLines(Paths.get(file), java.nio.charset.StandardCharsets.UTF_8)) {
        String shard = String.format("shardId-%012d", sequence % 2);
        String seq = String.format("4966%052d", sequence++);
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(new KinesisRecord(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), stream, shard, seq,
              System.currentTimeMillis()));
        }
      }
      while (running) {
        Thread.sleep(100);
      }
    }

    @Override
    public void cancel() {
      running = false;
    }
  }
}
