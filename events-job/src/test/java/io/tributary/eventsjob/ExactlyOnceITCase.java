package io.tributary.eventsjob;

import static io.tributary.eventsjob.EventsJobTesting.atLeast;
import static io.tributary.eventsjob.EventsJobTesting.awaitRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.WebEvent;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.kinesis.KinesisEmulatorExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a stop-with-savepoint/restore and across an injected failure, with records
 * added to the stream while the job is down: every event_id exactly once, checked row by row.
 */
class ExactlyOnceITCase {
  private static final JobCounters COUNTERS = new JobCounters();

  @RegisterExtension static final MiniClusterExtension FLINK = COUNTERS.miniCluster();

  // Emulator log in this module's target/, not the emulator module's.
  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS =
      new KinesisEmulatorExtension(
          KinesisEmulator.builder().logFile(Path.of("target", "kinesis-emulator", "ExactlyOnceITCase.log")));

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private KinesisEmulator kinesis() {
    return KINESIS.emulator();
  }

  /** Reads slowly ({@code records} per shard per {@code interval}) so that checkpoints fall mid-stream. */
  private Map<String, String> slowParams(String stream, int records, String interval) {
    Map<String, String> params = EventsJobTesting.params(kinesis(), stream, tmp.resolve("lake").toString());
    params.put("kinesis.polling.max-records", String.valueOf(records));
    params.put("kinesis.polling.interval", interval);
    return params;
  }

  @Test
  void stopWithSavepointAndRestoreWritesEachEventOnce() throws Exception {
    String stream = "savepoint";
    kinesis().createStream(stream, 2);
    List<WebEvent> before = EventsJobTesting.events(10, 300);
    List<String> origins = new ArrayList<>(TestKinesis.put(kinesis(), stream, EventsJobTesting.json(before)));
    // Production topology, deduplication on (its state travels in the savepoint).
    EventsJobConfig config = EventsJobTesting.config(kinesis(), slowParams(stream, 5, "250 ms"));

    StreamExecutionEnvironment first = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(first, config);
    JobClient job1 = first.executeAsync("before savepoint");
    awaitRows(config.atomicEventsTablePath(), atLeast(50), TIMEOUT, "a first part of the events");
    String savepoint =
        job1.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get();
    int committedBefore = EventsJobTesting.rows(config.atomicEventsTablePath()).size();
    assertThat(committedBefore).isPositive();
    System.out.println("Committed before the savepoint: " + committedBefore + " of " + before.size());

    // While the job is down: new events, and producer retries of events already written.
    List<WebEvent> during = EventsJobTesting.events(11, 150);
    List<byte[]> payloads = new ArrayList<>(EventsJobTesting.json(during));
    payloads.addAll(EventsJobTesting.json(before.subList(0, 10)));
    origins.addAll(TestKinesis.put(kinesis(), stream, payloads).subList(0, during.size()));

    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = EventsJobTesting.env(2, restore);
    EventsJob.addTo(second, config);
    JobClient job2 = second.executeAsync("after savepoint");
    List<WebEvent> all = new ArrayList<>(before);
    all.addAll(during);
    try {
      awaitRows(config.atomicEventsTablePath(), atLeast(all.size()), TIMEOUT, "all events");
      COUNTERS.await(job2.getJobID(), DeduplicateEvents.DUPLICATES, 10, TIMEOUT);
      Thread.sleep(1000);
    } finally {
      job2.cancel().get();
    }
    assertEachEventOnce(stream, all, origins, config);
    // The restored job re-read nothing the first one had checkpointed: its only duplicates are the
    // 10 retries, recognised thanks to the restored deduplication state.
    assertThat(COUNTERS.sum(job2.getJobID(), DeduplicateEvents.DUPLICATES)).isEqualTo(10);
    // And every record was read by exactly one of the two jobs.
    assertThat(COUNTERS.sum(job1.getJobID(), RouteEvents.ACCEPTED) + COUNTERS.sum(job2.getJobID(), RouteEvents.ACCEPTED))
        .isEqualTo(before.size() + payloads.size());
  }

  /**
   * Dedup per shard ({@code events.dedup-scope=SHARD}, no exchange): a producer re-sending with the
   * same partition key while the job is down, then a restore at another parallelism. Each shard's
   * remembered ids must move with the shard to its new subtask, or the re-sends would be written
   * again; and records added meanwhile must each be written once.
   */
  @Test
  void perShardDedupAcrossARescaledRestoreWritesEachEventOnce() throws Exception {
    String stream = "per-shard";
    kinesis().createStream(stream, 4);
    List<WebEvent> before = EventsJobTesting.events(12, 300);
    List<String> keys = new ArrayList<>();
    before.forEach(e -> keys.add(e.getEventId())); // the producer keys by event id
    List<String> origins = new ArrayList<>(TestKinesis.put(kinesis(), stream, EventsJobTesting.json(before), keys));
    Map<String, String> params = slowParams(stream, 5, "250 ms");
    params.put(EventsJobOptions.EVENTS_DEDUP_SCOPE.key(), "SHARD");
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);

    StreamExecutionEnvironment first = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(first, config);
    JobClient job1 = first.executeAsync("per shard, before savepoint");
    awaitRows(config.atomicEventsTablePath(), atLeast(150), TIMEOUT, "a first part of the events");
    String savepoint =
        job1.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get();
    System.out.println("Committed before the savepoint: "
        + EventsJobTesting.rows(config.atomicEventsTablePath()).size() + " of " + before.size());

    // While the job is down: new events, and re-sends (same key, so same shard) of events already written.
    List<WebEvent> during = EventsJobTesting.events(13, 150);
    List<byte[]> payloads = new ArrayList<>(EventsJobTesting.json(during));
    List<String> duringKeys = new ArrayList<>();
    during.forEach(e -> duringKeys.add(e.getEventId()));
    payloads.addAll(EventsJobTesting.json(before.subList(0, 20)));
    duringKeys.addAll(keys.subList(0, 20));
    origins.addAll(TestKinesis.put(kinesis(), stream, payloads, duringKeys).subList(0, during.size()));

    // Restored at parallelism 3: key groups, and with them shards and their ids, move between subtasks.
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = EventsJobTesting.env(3, restore);
    EventsJob.addTo(second, config);
    JobClient job2 = second.executeAsync("per shard, after savepoint");
    List<WebEvent> all = new ArrayList<>(before);
    all.addAll(during);
    try {
      awaitRows(config.atomicEventsTablePath(), atLeast(all.size()), TIMEOUT, "all events");
      COUNTERS.await(job2.getJobID(), DeduplicateEvents.DUPLICATES, 20, TIMEOUT);
      Thread.sleep(1000);
    } finally {
      job2.cancel().get();
    }
    assertEachEventOnce(stream, all, origins, config);
    assertThat(COUNTERS.sum(job2.getJobID(), DeduplicateEvents.DUPLICATES)).isEqualTo(20);
    assertThat(COUNTERS.sum(job1.getJobID(), RouteEvents.ACCEPTED) + COUNTERS.sum(job2.getJobID(), RouteEvents.ACCEPTED))
        .isEqualTo(before.size() + payloads.size());
  }

  @Test
  void injectedFailureMidStreamWritesEachEventOnce() throws Exception {
    String stream = "failure";
    kinesis().createStream(stream, 2);
    FailOnce.reset();
    List<WebEvent> first = EventsJobTesting.events(20, 150);
    List<String> origins = new ArrayList<>(TestKinesis.put(kinesis(), stream, EventsJobTesting.json(first)));
    Map<String, String> params = slowParams(stream, 10, "200 ms");
    // No deduplication: any replay past the sink's exactly-once protocol would show as a duplicate.
    params.put("events.dedup-window", "0 s");
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);

    Configuration slowRestart = new Configuration();
    slowRestart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
    StreamExecutionEnvironment env = EventsJobTesting.env(2, slowRestart);
    EventsPipeline.configure(env); // as EventsPipeline.addTo does
    DataStream<KinesisRecord> records =
        EventsPipeline.source(env, config)
            .map(new FailOnce(100))
            .returns(TypeInformation.of(KinesisRecord.class))
            .uid("fail-once");
    EventsPipeline.sinkToDelta(EventsPipeline.route(records, config), config);
    JobClient job = env.executeAsync("failure");
    List<WebEvent> all = new ArrayList<>(first);
    try {
      // Once data is committed, more records: the failure hits while they stream in.
      awaitRows(config.atomicEventsTablePath(), atLeast(1), TIMEOUT, "a first commit");
      List<WebEvent> second = EventsJobTesting.events(21, 150);
      origins.addAll(TestKinesis.put(kinesis(), stream, EventsJobTesting.json(second)));
      all.addAll(second);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!FailOnce.FAILED.get()) {
        assertThat(System.nanoTime()).as("the failure was injected in time").isLessThan(deadline);
        Thread.sleep(20);
      }
      // The job is restarting (2 s delay): these arrive while it is down.
      List<WebEvent> during = EventsJobTesting.events(22, 150);
      origins.addAll(TestKinesis.put(kinesis(), stream, EventsJobTesting.json(during)));
      all.addAll(during);
      awaitRows(config.atomicEventsTablePath(), atLeast(all.size()), TIMEOUT, "all events");
      Thread.sleep(1000);
    } finally {
      job.cancel().get();
    }
    assertThat(FailOnce.COMMITTED_BEFORE_FAILURE.get()).as("checkpoints completed before the failure").isGreaterThan(1);
    assertEachEventOnce(stream, all, origins, config);
  }

  /** Row by row: each event exactly once, with its own origin and content; nothing else. */
  private static void assertEachEventOnce(
      String stream, List<WebEvent> events, List<String> origins, EventsJobConfig config) {
    List<Map<String, Object>> rows = EventsJobTesting.rows(config.atomicEventsTablePath());
    Map<String, List<Map<String, Object>>> byId =
        rows.stream().collect(Collectors.groupingBy(r -> (String) r.get("event_id")));
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      WebEvent e = events.get(i);
      List<Map<String, Object>> copies = byId.getOrDefault(e.getEventId(), List.of());
      if (copies.size() != 1) {
        problems.add(e.getEventId() + " written " + copies.size() + " times");
        continue;
      }
      Map<String, Object> row = copies.get(0);
      if (!row.get("source_filename").equals("kinesis://" + stream + "/" + origins.get(i))
          || !row.get("event_type").equals(e.getEventType().wireName())
          || !row.get("event_timestamp").equals(ChronoUnit.MICROS.between(java.time.Instant.EPOCH, e.getEventTimestamp()))) {
        problems.add(e.getEventId() + " has wrong content: " + row);
      }
    }
    assertThat(problems).as("events missing, doubled or wrong (first 20)").isEmpty();
    assertThat(rows).hasSize(events.size());
    assertThat(EventsJobTesting.rows(config.quarantineTablePath())).isEmpty();
  }

  /**
   * Fails the job once, at a record after the {@code failAfter}-th and after at least two completed
   * checkpoints, so the restart replays from a checkpoint that already committed data.
   */
  static final class FailOnce extends RichMapFunction<KinesisRecord, KinesisRecord> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();
    static final AtomicInteger COMMITTED_BEFORE_FAILURE = new AtomicInteger();
    static final AtomicLong SEEN = new AtomicLong();
    private final long failAfter;

    FailOnce(long failAfter) {
      this.failAfter = failAfter;
    }

    static void reset() {
      FAILED.set(false);
      COMPLETED_CHECKPOINTS.set(0);
      COMMITTED_BEFORE_FAILURE.set(0);
      SEEN.set(0);
    }

    @Override
    public KinesisRecord map(KinesisRecord record) {
      if (SEEN.incrementAndGet() >= failAfter && COMPLETED_CHECKPOINTS.get() > 1 && FAILED.compareAndSet(false, true)) {
        COMMITTED_BEFORE_FAILURE.set(COMPLETED_CHECKPOINTS.get());
        throw new IllegalStateException("Injected failure at " + record);
      }
      return record;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      COMPLETED_CHECKPOINTS.incrementAndGet();
    }
  }
}
