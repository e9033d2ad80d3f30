package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 9: 20,000 valid events, each on a date of its own, all in the first checkpoint,
 * through the events job's graph (parse, route, deduplicate, both Delta sinks) in a JVM with the
 * heap of a default TaskManager. The records come from a file, not from the Kinesis emulator:
 * kinesis-mock accepts records slower as a stream grows and took over 12 minutes for these 20,000
 * on two cores (the Kinesis source itself holds no per-date state; the spread is the sink's
 * problem). Tagged {@code long} (about 9 minutes on two cores): it runs in the nightly workflow,
 * or with {@code ./mvnw -B -ntp verify -pl events-job -am -Dtributary.test.excluded-groups=
 * -Dgroups=long -Dsurefire.failIfNoSpecifiedTests=false}. Flink's default {@code taskmanager.memory.process.size} of 1728m gives the
 * TaskManager JVM {@code -Xmx} of 512 MiB (framework heap 128m + task heap 384m); the job runs in
 * a MiniCluster of its own with that heap (the JobManager shares it, so the test is stricter than
 * a TaskManager). It must not fail, and every event must land exactly once, on its own date.
 */
class ManyDatesITCase {
  static final int DATES = 20_000;
  /** -Xmx of a TaskManager with Flink's default memory settings. */
  static final String DEFAULT_TASK_MANAGER_HEAP = "512m";
  static final LocalDate LAST_DATE = LocalDate.of(2026, 11, 20);

  @TempDir Path tmp;

  @Test
  @Tag("long")
  void twentyThousandDatesInOneCheckpointLandOnceAtDefaultTaskManagerHeap() throws Exception {
    String stream = "many-dates";
    Map<String, LocalDate> dateById = new HashMap<>();
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < DATES; i++) {
      String id = new java.util.UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | i).toString();
      LocalDate date = LAST_DATE.minusDays(i);
      dateById.put(id, date);
      payloads.add(event(id, date, i).getBytes(StandardCharsets.UTF_8));
    }
    // The job's first checkpoint is triggered once the writer has opened a file for every date:
    // one checkpoint.
    Path payloadFile = tmp.resolve("payloads.jsonl");
    Files.write(payloadFile, payloads.stream().map(p -> new String(p, StandardCharsets.UTF_8))
        .collect(java.util.stream.Collectors.toList()), StandardCharsets.UTF_8);

    Map<String, String> params = new HashMap<>();
    params.put("kinesis.stream", stream); // names the stream in source_filename; nothing connects to it
    params.put("kinesis.region", "us-east-1");
    params.put("lake.path", tmp.resolve("lake").toString());
    // Old events are what this test is about: let them all into atomic_events; the sink alone
    // must cope with the spread.
    params.put("events.max-event-age", "0 s"); // the default, stated: no late-data policy
    params.put("test.expected-files", Integer.toString(DATES));
    params.put("test.payloads", payloadFile.toString());
    Path log = Paths.get("target", "ManyDatesITCase-job.log").toAbsolutePath();
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + DEFAULT_TASK_MANAGER_HEAP);
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    Path gcLog = Paths.get("target", "ManyDatesITCase-gc.log").toAbsolutePath();
    cmd.add("-Xlog:gc:file=" + gcLog);
    cmd.add("--add-opens=java.base/java.util=ALL-UNNAMED");
    cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ManyDatesJobMain.class.getName());
    params.forEach((k, v) -> cmd.add(k + "=" + v));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Path table = tmp.resolve("lake/atomic_events");
    Process child = builder.start();
    long committed = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
      while (child.isAlive() && System.nanoTime() < deadline && committed < DATES) {
        Thread.sleep(1000);
        committed = DeltaLogRows.committedRows(table);
      }
      Thread.sleep(3000); // a failure right after the commit would show now
    } finally {
      child.destroy();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly().waitFor();
      }
    }
    String output = Files.readString(log);
    long peakHeap = peakHeapAfterGcMiB(gcLog);
    String ended = output.lines().filter(l -> l.startsWith("JOB_ENDED=") || l.contains("OutOfMemoryError"))
        .reduce("", (a, b) -> a + b + "\n");
    System.out.printf("ManyDatesITCase: %d rows committed, peak heap after a collection %d MiB of %s%n",
        committed, peakHeap, DEFAULT_TASK_MANAGER_HEAP);
    assertThat(ended).as("the job JVM's end (see %s)", log).isEmpty();
    assertThat(committed).as("rows committed to atomic_events (see %s)", log).isEqualTo(DATES);
    Map<String, long[]> commits = DeltaLogRows.perCommit(table);
    assertThat(commits.values().stream().mapToLong(c -> c[0]).max().orElse(0))
        .as("one checkpoint, so one commit, held all %d dates", DATES).isEqualTo(DATES);

    // Every event exactly once, on its own date, row by row.
    List<Map<String, Object>> rows = EventsJobTesting.rows(table.toString());
    assertThat(rows).hasSize(DATES);
    Map<String, Long> counts = EventsJobTesting.idCounts(rows);
    assertThat(counts).hasSize(DATES).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
    for (Map<String, Object> row : rows) {
      String id = (String) row.get("event_id");
      assertThat(row.get("event_date")).as(id).isEqualTo((int) dateById.get(id).toEpochDay());
    }
    assertThat(EventsJobTesting.rows(tmp.resolve("lake/atomic_events_quarantine").toString())).isEmpty();
  }

  /** The largest heap in use right after a collection, from a {@code -Xlog:gc} log ("...300M->120M(512M)..."). */
  private static long peakHeapAfterGcMiB(Path gcLog) throws java.io.IOException {
    java.util.regex.Pattern after = java.util.regex.Pattern.compile("->(\\d+)M\\(");
    long peak = -1;
    for (String line : Files.readAllLines(gcLog)) {
      java.util.regex.Matcher m = after.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, Long.parseLong(m.group(1)));
      }
    }
    return peak;
  }

  private static String event(String id, LocalDate date, int i) {
    return "{\"event_id\":\"" + id + "\",\"event_type\":\"page_view\",\"event_timestamp\":\"" + date
        + "T12:34:56.789Z\",\"user_id\":\"user-" + (i % 997) + "\",\"session_id\":\"session-" + (i % 4999)
        + "\",\"page_url\":\"https://shop.example.com/products/" + i + "?ref=newsletter\","
        + "\"user_agent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)\","
        + "\"device\":\"desktop\",\"country\":\"DE\",\"properties\":{\"price\":" + (i % 100) + ".5}}";
  }
}
