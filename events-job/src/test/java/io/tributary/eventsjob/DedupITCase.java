package io.tributary.eventsjob;

import static io.tributary.eventsjob.EventsJobTesting.awaitRows;
import static io.tributary.eventsjob.EventsJobTesting.idCounts;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.WebEvent;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.kinesis.KinesisEmulatorExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dedup window runs on Kinesis arrival time (issue 22, item 6), on the real emulator: two
 * copies of a retried record that arrived seconds apart are one event even when the job was down
 * for longer than the window between reading the first and the second.
 */
class DedupITCase {
  private static final JobCounters COUNTERS = new JobCounters();

  @RegisterExtension static final MiniClusterExtension FLINK = COUNTERS.miniCluster();

  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS =
      new KinesisEmulatorExtension(
          KinesisEmulator.builder().logFile(Path.of("target", "kinesis-emulator", "DedupITCase.log")));

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration WINDOW = Duration.ofSeconds(12);

  @TempDir Path tmp;

  @Test
  void copiesThatArrivedWithinTheWindowAreOneEventAcrossAnOutageLongerThanTheWindow() throws Exception {
    KinesisEmulator kinesis = KINESIS.emulator();
    String stream = "outage";
    kinesis.createStream(stream, 1);
    List<WebEvent> events = EventsJobTesting.events(30, 4);
    WebEvent warmUp = events.get(3);
    WebEvent retried = events.get(0);
    byte[] payload = EventsJobTesting.json(List.of(retried)).get(0);

    Map<String, String> params = EventsJobTesting.params(kinesis, stream, tmp.resolve("lake").toString());
    params.put("events.dedup-window", WINDOW.toSeconds() + " s");
    EventsJobConfig config = EventsJobTesting.config(kinesis, params);

    StreamExecutionEnvironment first = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(first, config);
    JobClient job1 = first.executeAsync("dedup before the outage");
    // Once the job reads, the first copy is written within a second or so of its arrival.
    TestKinesis.put(kinesis, stream, EventsJobTesting.json(List.of(warmUp)));
    awaitRows(config.atomicEventsTablePath(), rows -> idCounts(rows).containsKey(warmUp.getEventId()), TIMEOUT,
        "the warm-up event");
    long firstPut = System.currentTimeMillis();
    TestKinesis.put(kinesis, stream, List.of(payload));
    awaitRows(config.atomicEventsTablePath(), rows -> idCounts(rows).containsKey(retried.getEventId()), TIMEOUT,
        "the first copy");
    long firstWritten = System.currentTimeMillis();
    String savepoint =
        job1.stopWithSavepoint(false, tmp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
            .get();

    // The producer's retry: the same bytes, in Kinesis a few seconds after the first copy, but read
    // only after the job was down for longer than the window.
    TestKinesis.put(kinesis, stream, List.of(payload));
    long secondPut = System.currentTimeMillis();
    assertThat(secondPut - firstPut)
        .as("both copies arrived within the window (else this test proves nothing)")
        .isLessThan(WINDOW.toMillis() - 2_000);
    TestKinesis.put(kinesis, stream, EventsJobTesting.json(events.subList(1, 3))); // read after the retry
    long outageEnds = firstWritten + WINDOW.toMillis() + 3_000;
    Thread.sleep(Math.max(0, outageEnds - System.currentTimeMillis()));

    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    StreamExecutionEnvironment second = EventsJobTesting.env(2, restore);
    EventsJob.addTo(second, config);
    JobClient job2 = second.executeAsync("dedup after the outage");
    try {
      awaitRows(config.atomicEventsTablePath(), rows -> idCounts(rows).keySet().containsAll(
              List.of(events.get(1).getEventId(), events.get(2).getEventId())), TIMEOUT, "the events after the retry");
      Thread.sleep(1000); // a few more checkpoints: a second copy would show now
    } finally {
      job2.cancel().get();
    }
    Map<String, Long> counts = idCounts(EventsJobTesting.rows(config.atomicEventsTablePath()));
    assertThat(counts).as("each event once, the retried one too").hasSize(4).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    assertThat(COUNTERS.sum(job2.getJobID(), DeduplicateEvents.DUPLICATES)).isEqualTo(1);
    assertThat(EventsJobTesting.rows(config.quarantineTablePath())).isEmpty();
  }
}
