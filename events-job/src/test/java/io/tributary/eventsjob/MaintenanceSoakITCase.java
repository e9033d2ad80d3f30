package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.delta.kernel.engine.Engine;
import io.tributary.delta.ActiveFile;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.kinesis.KinesisEmulatorExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * Soak test of in-job table maintenance (docs/maintenance.md): the whole events job with its
 * default maintenance settings, 1 s checkpoints, two writers, 45 events/s until 150 commits into
 * {@code atomic_events} over three days (an earlier day keeps receiving late events). Without
 * maintenance the active partition would hold one file per writer per commit; with it, sampled
 * every second, it never holds more than {@value #MAX_FILES_ANY_TIME} data files and, after the
 * job's last maintenance, at most {@value #MAX_FILES_AFTER} per partition. Every event is in the
 * table exactly once. About 2.5 minutes on an idle machine.
 */
// Mostly waits: runs beside the module's other test classes (see the root pom's surefire settings).
@Execution(ExecutionMode.CONCURRENT)
class MaintenanceSoakITCase {
  static final int MAX_FILES_ANY_TIME = 100;
  static final int MAX_FILES_AFTER = 20;

  /** Streaming commits to reach: several hundred files appended without maintenance. */
  private static final int COMMITS = 150;
  private static final Duration MAX_WAIT = Duration.ofMinutes(25);
  private static final int LATE_PER_SECOND = 5;
  /**
   * Events a second on the active day. The file counts depend on commits, not on events; and the
   * emulator's puts slow down as its stream grows (at 200 a second a put took 5 s by the end).
   */
  private static final int PER_SECOND = 40;

  private static final JobCounters COUNTERS = new JobCounters();

  @RegisterExtension static final MiniClusterExtension FLINK = COUNTERS.miniCluster();

  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS =
      new KinesisEmulatorExtension(
          KinesisEmulator.builder().logFile(Path.of("target", "kinesis-emulator", "MaintenanceSoakITCase.log")));

  @TempDir Path tmp;

  @Test
  void activePartitionStaysSmallAndEveryEventStaysExactlyOnce() throws Exception {
    KinesisEmulator kinesis = KINESIS.emulator();
    String stream = "soak";
    kinesis.createStream(stream, 2);
    // The active day (sessions from 23:58 on 2026-11-20 run into 2026-11-21), and late events of
    // 2026-11-19 in every batch: a partition that gets late data on every commit.
    SessionSimulator current = new SessionSimulator(23, EventsJobTesting.CLOCK);
    SessionSimulator late = new SessionSimulator(24, Instant.parse("2026-11-19T08:00:00Z"));

    Map<String, String> params = EventsJobTesting.params(kinesis, stream, tmp.toString());
    EventsJobConfig config = EventsJobTesting.config(kinesis, params);
    String table = config.atomicEventsTablePath();
    StreamExecutionEnvironment env = EventsJobTesting.env(2, new Configuration());
    env.enableCheckpointing(1000);
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("events-job maintenance soak");

    Engine engine = DeltaTestTables.engine(Map.of());
    int maxFilesSeen = 0;
    List<WebEvent> sent = new ArrayList<>();
    LogCounts logCounts = new LogCounts();
    try (KinesisClient client = kinesis.newClient()) {
      // One batch a second until the table has COMMITS streaming commits: 150 s on an idle
      // machine; a loaded one checkpoints less often and takes longer (at most MAX_WAIT). The
      // sampling of the file counts (a snapshot read) is timed apart from the puts, so a slow
      // sample never slows the stream down.
      long start = System.nanoTime();
      long deadline = start + MAX_WAIT.toNanos();
      long putNanos = 0;
      long sampleNanos = 0;
      long nextSample = 0;
      for (int s = 0; logCounts.update(Path.of(table)).streamingCommits < COMMITS; s++) {
        assertThat(System.nanoTime()).as("%d streaming commits within %s", COMMITS, MAX_WAIT).isLessThan(deadline);
        List<WebEvent> batch = new ArrayList<>(current.take(PER_SECOND));
        batch.addAll(late.take(LATE_PER_SECOND));
        long t0 = System.nanoTime();
        put(client, stream, batch);
        sent.addAll(batch);
        long t1 = System.nanoTime();
        putNanos += t1 - t0;
        if (t1 >= nextSample) {
          maxFilesSeen = Math.max(maxFilesSeen, maxFilesPerPartition(engine, table));
          long t2 = System.nanoTime();
          sampleNanos += t2 - t1;
          // Never more than a third of the time on sampling: at most 30 files per sampling gap.
          nextSample = t2 + 2 * (t2 - t1);
        }
        if (s % 30 == 29) {
          System.out.printf("Maintenance soak: %d s, %d batches, %d streaming commits, %d compactions, max %d files;"
                  + " %d ms putting, %d ms sampling%n", (System.nanoTime() - start) / 1_000_000_000L, s + 1,
              logCounts.streamingCommits, logCounts.compactions, maxFilesSeen, putNanos / 1_000_000,
              sampleNanos / 1_000_000);
        }
        long wait = start + (s + 1) * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000);
        }
      }
      EventsJobTesting.awaitRows(table, EventsJobTesting.atLeast(sent.size()), Duration.ofSeconds(60), "every event");
      maxFilesSeen = Math.max(maxFilesSeen, maxFilesPerPartition(engine, table));
    } finally {
      job.cancel().get();
    }
    List<WebEvent> all = sent;
    assertThat(all.stream().map(MaintenanceSoakITCase::day).distinct().sorted().map(LocalDate::toString))
        .as("days written").contains("2026-11-19", "2026-11-20", "2026-11-21");

    Map<Map<String, String>, Integer> after = filesPerPartition(engine, table);
    LogCounts log = logCounts.update(Path.of(table));
    String what = String.format("%d streaming commits adding %d files, %d compaction commits; max %d files seen; now %s",
        log.streamingCommits, log.filesAppended, log.compactions, maxFilesSeen, after);
    System.out.println("Maintenance soak: " + what);
    assertThat(log.streamingCommits).as(what).isGreaterThanOrEqualTo(COMMITS);
    // Without maintenance the partitions would hold every appended file.
    assertThat(log.filesAppended).as(what).isGreaterThan(2 * MAX_FILES_ANY_TIME);
    assertThat(log.compactions).as(what).isPositive();
    assertThat(maxFilesSeen).as(what).isLessThanOrEqualTo(MAX_FILES_ANY_TIME);
    assertThat(after).as(what).hasSizeGreaterThanOrEqualTo(3);
    assertThat(after.values()).as(what).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(MAX_FILES_AFTER));
    assertThat(COUNTERS.sum(job.getJobID(), "deltaCompactionsRun")).as(what).isPositive();
    assertThat(COUNTERS.sum(job.getJobID(), "deltaCompactionsFailed")).as(what).isZero();

    List<Map<String, Object>> rows = EventsJobTesting.rows(table);
    Map<String, Long> counts = EventsJobTesting.idCounts(rows);
    assertThat(rows).hasSize(all.size());
    assertThat(counts.values()).allMatch(c -> c == 1);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(
        all.stream().map(WebEvent::getEventId).collect(Collectors.toList()));
  }

  private static void put(KinesisClient client, String stream, List<WebEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (byte[] payload : EventsJobTesting.json(events)) {
      entries.add(PutRecordsRequestEntry.builder().partitionKey(UUID.randomUUID().toString())
          .data(SdkBytes.fromByteArray(payload)).build());
    }
    // A put retried after a timeout may land twice: the job drops such duplicates by event_id.
    for (int attempt = 1; ; attempt++) {
      try {
        PutRecordsResponse response = client.putRecords(r -> r.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).as("records rejected by the emulator").isIn(null, 0);
        return;
      } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static LocalDate day(WebEvent e) {
    return LocalDate.ofInstant(e.getEventTimestamp(), ZoneOffset.UTC);
  }

  private static int maxFilesPerPartition(Engine engine, String table) {
    return filesPerPartition(engine, table).values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private static Map<Map<String, String>, Integer> filesPerPartition(Engine engine, String table) {
    if (!Files.exists(Path.of(table, "_delta_log"))) {
      return Map.of();
    }
    Snapshot snapshot = DeltaTestTables.snapshot(table, Map.of());
    Map<Map<String, String>, Integer> counts = new HashMap<>();
    ActiveFile.list(engine, snapshot).forEach(f -> counts.merge(f.partitionValues(), 1, Integer::sum));
    return counts;
  }

  /** Commits of the table by kind, read from its JSON commit files (each read once: they never change). */
  private static final class LogCounts {
    int streamingCommits;
    int compactions;
    int filesAppended;
    private final java.util.Set<String> read = new java.util.HashSet<>();

    LogCounts update(Path table) throws IOException {
      if (!Files.exists(table.resolve("_delta_log"))) {
        return this;
      }
      try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
        for (Path commit : commits.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json"))
            .collect(Collectors.toList())) {
          if (!read.add(commit.getFileName().toString())) {
            continue;
          }
          String text = Files.readString(commit);
          if (text.contains("\"operation\":\"STREAMING UPDATE\"")) {
            streamingCommits++;
            filesAppended += text.split("\\{\"add\"", -1).length - 1;
          } else if (text.contains("Tributary-Compactor")) {
            compactions++;
          }
        }
      }
      return this;
    }
  }
}
