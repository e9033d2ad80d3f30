package io.tributary.eventsjob;

import static io.tributary.eventsjob.EventsJobTesting.atLeast;
import static io.tributary.eventsjob.EventsJobTesting.awaitRows;
import static io.tributary.eventsjob.EventsJobTesting.idCounts;
import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.tributary.delta.testing.DeltaTestTables;
import io.tributary.events.MalformedPayload;
import io.tributary.events.MalformedPayloads;
import io.tributary.events.WebEvent;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.kinesis.KinesisEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on a MiniCluster, reading the real Kinesis emulator, writing local Delta tables. */
class EventsJobITCase {
  private static final JobCounters COUNTERS = new JobCounters();

  @RegisterExtension static final MiniClusterExtension FLINK = COUNTERS.miniCluster();

  // Emulator log in this module's target/, not the emulator module's.
  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS =
      new KinesisEmulatorExtension(
          KinesisEmulator.builder().logFile(Path.of("target", "kinesis-emulator", "EventsJobITCase.log")));

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private KinesisEmulator kinesis() {
    return KINESIS.emulator();
  }

  @Test
  void everyRecordLandsInAtomicEventsOrQuarantineWithItsColumns() throws Exception {
    String stream = "everything";
    kinesis().createStream(stream, 2);
    List<WebEvent> events = EventsJobTesting.events(1, 60);
    // By hand: an offset timestamp whose UTC date is the previous day, an unknown field, numbers
    // JSON cannot hold as a double, and an escaped surrogate pair.
    String special =
        "{\"event_id\":\"3F2B8C1E-7D4A-4E2B-9C1D-0A1B2C3D4E5F\",\"event_type\":\"page_view\","
            + "\"event_timestamp\":\"2026-11-22T00:30:00.123456+01:00\",\"ab_test\":\"b\","
            + "\"user_id\":\"\\ud83d\\ude00\",\"properties\":{\"price\":19.90,\"p\":1e400,\"q\":-0.0}}";
    List<MalformedPayload> bad = new MalformedPayloads(7).oneOfEach();
    List<byte[]> payloads = new ArrayList<>(EventsJobTesting.json(events));
    payloads.add(special.getBytes(StandardCharsets.UTF_8));
    bad.forEach(b -> payloads.add(b.getPayload()));

    // The arrival time is stamped by the emulator, a separate process whose clock was seen 22 ms
    // behind this JVM's: allow a second either side.
    Instant putStart = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(1);
    List<String> origins = TestKinesis.put(kinesis(), stream, payloads);
    Instant putEnd = Instant.now().plusSeconds(1);

    Map<String, String> params = EventsJobTesting.params(kinesis(), stream, tmp.toString());
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);
    StreamExecutionEnvironment env = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("events-job everything");
    List<Map<String, Object>> atomic;
    List<Map<String, Object>> quarantine;
    try {
      awaitRows(config.quarantineTablePath(), atLeast(bad.size()), TIMEOUT, bad.size() + " quarantined records");
      awaitRows(config.atomicEventsTablePath(), atLeast(events.size() + 1), TIMEOUT, "all events");
      Thread.sleep(1000); // a few more checkpoints: anything extra would show now
    } finally {
      job.cancel().get();
    }
    atomic = EventsJobTesting.rows(config.atomicEventsTablePath());
    quarantine = EventsJobTesting.rows(config.quarantineTablePath());

    // Nothing lost, nothing doubled.
    assertThat(atomic.size() + quarantine.size()).as("count in = valid + quarantined").isEqualTo(payloads.size());
    assertThat(idCounts(atomic).values()).allMatch(c -> c == 1);
    assertThat(idCounts(atomic).keySet())
        .containsAll(events.stream().map(WebEvent::getEventId).collect(Collectors.toList()))
        .contains("3f2b8c1e-7d4a-4e2b-9c1d-0a1b2c3d4e5f");

    // Each simulated event, column by column.
    Map<String, Map<String, Object>> byId = atomic.stream().collect(Collectors.toMap(r -> (String) r.get("event_id"), r -> r));
    for (int i = 0; i < events.size(); i++) {
      WebEvent e = events.get(i);
      Map<String, Object> row = byId.get(e.getEventId());
      assertThat(row.get("event_type")).isEqualTo(e.getEventType().wireName());
      assertThat(row.get("event_timestamp")).isEqualTo(micros(e.getEventTimestamp()));
      assertThat(row.get("user_id")).isEqualTo(e.getUserId());
      assertThat(row.get("session_id")).isEqualTo(e.getSessionId());
      assertThat(row.get("page_url")).isEqualTo(e.getPageUrl());
      assertThat(row.get("referrer")).isEqualTo(e.getReferrer());
      assertThat(row.get("user_agent")).isEqualTo(e.getUserAgent());
      assertThat(row.get("device")).isEqualTo(e.getDevice() == null ? null : e.getDevice().wireName());
      assertThat(row.get("country")).isEqualTo(e.getCountry());
      assertThat(row.get("order_id")).isEqualTo(e.getOrderId());
      assertThat(row.get("properties")).isEqualTo(e.getProperties());
      assertThat(row.get("extra_fields")).isEqualTo(e.getExtraFields());
      assertThat(row.get("schema_version")).isEqualTo(1);
      assertThat(row.get("source_filename")).isEqualTo("kinesis://" + stream + "/" + origins.get(i));
      assertThat((Long) row.get("ingest_timestamp")).isBetween(micros(putStart), micros(putEnd));
      assertThat((Long) row.get("etl_timestamp")).isGreaterThanOrEqualTo((Long) row.get("ingest_timestamp"));
      assertThat(row.get("event_date")).isEqualTo((int) LocalDate.ofInstant(e.getEventTimestamp(), ZoneOffset.UTC).toEpochDay());
    }
    Map<String, Object> row = byId.get("3f2b8c1e-7d4a-4e2b-9c1d-0a1b2c3d4e5f");
    assertThat(row.get("event_timestamp")).isEqualTo(micros(Instant.parse("2026-11-21T23:30:00.123456Z")));
    assertThat(row.get("event_date")).isEqualTo((int) LocalDate.parse("2026-11-21").toEpochDay());
    assertThat(row.get("extra_fields")).isEqualTo("{\"ab_test\":\"b\"}");
    // Numbers as written (not "Infinity", not 0.0) and an escaped surrogate pair as one character.
    assertThat(row.get("properties")).isEqualTo("{\"price\":19.90,\"p\":1e400,\"q\":-0.0}");
    assertThat(row.get("user_id")).isEqualTo("\ud83d\ude00");

    // Partitioned by the UTC event date, Hive style.
    Snapshot snapshot = DeltaTestTables.snapshot(config.atomicEventsTablePath(), Map.of());
    assertThat(snapshot.getPartitionColumnNames()).containsExactly("event_date");
    Set<String> expectedDates =
        atomic.stream().map(r -> "event_date=" + LocalDate.ofEpochDay((Integer) r.get("event_date"))).collect(Collectors.toSet());
    assertThat(expectedDates).contains("event_date=2026-11-20", "event_date=2026-11-21");
    try (Stream<Path> dirs = Files.list(Path.of(config.atomicEventsTablePath()))) {
      assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("event_date=")))
          .containsExactlyInAnyOrderElementsOf(expectedDates);
    }

    // Every bad payload, with its reason, field, raw bytes and origin.
    Map<String, Map<String, Object>> bySource =
        quarantine.stream().collect(Collectors.toMap(r -> (String) r.get("source_filename"), Function.identity()));
    int firstBad = events.size() + 1;
    for (int i = 0; i < bad.size(); i++) {
      MalformedPayload b = bad.get(i);
      String origin = origins.get(firstBad + i);
      Map<String, Object> q = bySource.get("kinesis://" + stream + "/" + origin);
      assertThat(q).as(b.getKind()).isNotNull();
      assertThat(q.get("error_reason")).as(b.getKind()).isEqualTo(b.getExpectedReason().name());
      assertThat(q.get("error_field")).as(b.getKind()).isEqualTo(b.getExpectedField());
      assertThat((String) q.get("error_detail")).as(b.getKind()).isNotBlank();
      assertThat(q.get("payload_bytes")).isEqualTo(b.getPayload().length);
      byte[] raw =
          "base64".equals(q.get("raw_payload_encoding"))
              ? Base64.getDecoder().decode((String) q.get("raw_payload"))
              : ((String) q.get("raw_payload")).getBytes(StandardCharsets.UTF_8);
      assertThat(raw).as(b.getKind()).isEqualTo(b.getPayload());
      assertThat(q.get("kinesis_stream")).isEqualTo(stream);
      assertThat(q.get("kinesis_shard_id") + "/" + q.get("kinesis_sequence_number")).isEqualTo(origin);
      long arrival = (Long) q.get("ingest_timestamp");
      assertThat(arrival).isBetween(micros(putStart), micros(putEnd));
      assertThat(q.get("event_date")).isEqualTo((int) Math.floorDiv(arrival, 86_400_000_000L));
      assertThat((Long) q.get("etl_timestamp")).isGreaterThanOrEqualTo(arrival);
    }
    assertThat(quarantine.stream().map(r -> r.get("raw_payload_encoding")).collect(Collectors.toSet()))
        .as("both encodings exercised")
        .containsExactlyInAnyOrder("utf-8", "base64");

    // The quarantine counter, summed over the router's subtasks.
    assertThat(COUNTERS.sum(job.getJobID(), RouteEvents.QUARANTINED)).isEqualTo(bad.size());
    assertThat(COUNTERS.managedFlinkSum(job.getJobID(), RouteEvents.QUARANTINED))
        .as("the quarantine count is also where Managed Flink exports it to CloudWatch")
        .isEqualTo(bad.size());
    assertThat(COUNTERS.sum(job.getJobID(), RouteEvents.ACCEPTED)).isEqualTo(events.size() + 1);
  }

  @Test
  void identicalReSendsAreDroppedAndConflictingOnesQuarantined() throws Exception {
    String stream = "duplicates";
    kinesis().createStream(stream, 2);
    List<WebEvent> events = EventsJobTesting.events(2, 40);
    List<byte[]> payloads = new ArrayList<>(EventsJobTesting.json(events));
    // Producer retries: the same bytes again, on whichever shard their new partition key picks...
    payloads.addAll(EventsJobTesting.json(events.subList(0, 15)));
    int duplicates = 15;
    TestKinesis.put(kinesis(), stream, payloads);
    // ...and, once those are written, two different events reusing an id: not a retry, so not
    // dropped. (Put together, the shards' order would decide which of two versions comes first.)
    List<byte[]> conflicting =
        EventsJobTesting.json(List.of(
            events.get(20).toBuilder().userId("someone-else").build(),
            events.get(21).toBuilder().sessionId("another-session").build()));

    Map<String, String> params = EventsJobTesting.params(kinesis(), stream, tmp.toString());
    params.put("events.dedup-window", "10 min");
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);
    StreamExecutionEnvironment env = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("events-job duplicates");
    List<Map<String, Object>> quarantine;
    List<String> conflictOrigins;
    try {
      COUNTERS.await(job.getJobID(), DeduplicateEvents.DUPLICATES, duplicates, TIMEOUT);
      awaitRows(config.atomicEventsTablePath(), atLeast(events.size()), TIMEOUT, "all events");
      conflictOrigins = TestKinesis.put(kinesis(), stream, conflicting);
      quarantine = awaitRows(config.quarantineTablePath(), atLeast(conflicting.size()), TIMEOUT, "the conflicting events");
      Thread.sleep(1000);
    } finally {
      job.cancel().get();
    }
    List<Map<String, Object>> atomic = EventsJobTesting.rows(config.atomicEventsTablePath());
    assertThat(idCounts(atomic)).hasSize(events.size()).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    // The first of each id stays; the conflicting events were not written over it.
    Map<String, Map<String, Object>> byId =
        atomic.stream().collect(Collectors.toMap(r -> (String) r.get("event_id"), r -> r));
    assertThat(byId.get(events.get(20).getEventId()).get("user_id")).isEqualTo(events.get(20).getUserId());
    assertThat(byId.get(events.get(21).getEventId()).get("session_id")).isEqualTo(events.get(21).getSessionId());

    // Each conflicting event in quarantine, with its raw payload and origin.
    quarantine = EventsJobTesting.rows(config.quarantineTablePath());
    assertThat(quarantine).hasSize(conflicting.size());
    Map<String, Map<String, Object>> bySource =
        quarantine.stream().collect(Collectors.toMap(r -> (String) r.get("source_filename"), Function.identity()));
    for (int i = 0; i < conflicting.size(); i++) {
      String origin = conflictOrigins.get(i);
      Map<String, Object> q = bySource.get("kinesis://" + stream + "/" + origin);
      assertThat(q).as(origin).isNotNull();
      assertThat(q.get("error_reason")).isEqualTo("CONFLICTING_DUPLICATE");
      assertThat(q.get("error_field")).isEqualTo("event_id");
      assertThat(q.get("raw_payload_encoding")).isEqualTo("utf-8");
      assertThat(((String) q.get("raw_payload")).getBytes(StandardCharsets.UTF_8)).isEqualTo(conflicting.get(i));
      assertThat(q.get("payload_bytes")).isEqualTo(conflicting.get(i).length);
      assertThat(q.get("kinesis_shard_id") + "/" + q.get("kinesis_sequence_number")).isEqualTo(origin);
    }
    // Count in = valid + quarantined + identical duplicates dropped; both kinds counted.
    assertThat(COUNTERS.sum(job.getJobID(), DeduplicateEvents.DUPLICATES)).isEqualTo(duplicates);
    assertThat(COUNTERS.sum(job.getJobID(), "conflictingDuplicatesQuarantined")).isEqualTo(conflicting.size());
    assertThat(COUNTERS.sum(job.getJobID(), RouteEvents.ACCEPTED)).isEqualTo(payloads.size() + conflicting.size());
    assertThat(atomic.size() + quarantine.size() + duplicates).isEqualTo(payloads.size() + conflicting.size());
  }

  @Test
  void parallelismTwoOverFourShardsReadsEveryShardOnce() throws Exception {
    String stream = "four-shards";
    kinesis().createStream(stream, 4);
    List<WebEvent> events = EventsJobTesting.events(3, 200);
    List<String> origins = TestKinesis.put(kinesis(), stream, EventsJobTesting.json(events));
    Set<String> shards = origins.stream().map(o -> o.substring(0, o.indexOf('/'))).collect(Collectors.toSet());
    assertThat(shards).as("the test data covers every shard").hasSize(4);

    Map<String, String> params = EventsJobTesting.params(kinesis(), stream, tmp.toString());
    params.put("events.parallelism", "2");
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);
    StreamExecutionEnvironment env = EventsJobTesting.env(1, new Configuration());
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("events-job four shards");
    try {
      awaitRows(config.atomicEventsTablePath(), atLeast(events.size()), TIMEOUT, "all events");
      Thread.sleep(1000);
    } finally {
      job.cancel().get();
    }
    List<Map<String, Object>> atomic = EventsJobTesting.rows(config.atomicEventsTablePath());
    Map<String, String> expectedOrigin = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      expectedOrigin.put(events.get(i).getEventId(), "kinesis://" + stream + "/" + origins.get(i));
    }
    assertThat(atomic).hasSize(events.size());
    assertThat(atomic).allSatisfy(r -> assertThat(r.get("source_filename")).isEqualTo(expectedOrigin.get(r.get("event_id"))));
    // Both source subtasks read (two shards each).
    assertThat(COUNTERS.reporter().findMetrics(job.getJobID(), RouteEvents.ACCEPTED).entrySet().stream()
            .filter(e -> !e.getKey().contains(".reason."))
            .map(e -> ((Counter) e.getValue()).getCount()))
        .hasSize(2)
        .allSatisfy(c -> assertThat(c).isPositive());
  }

  @Test
  void enhancedFanOutReadsTheStream() throws Exception {
    String stream = "efo";
    kinesis().createStream(stream, 2);
    List<WebEvent> events = EventsJobTesting.events(4, 50);
    TestKinesis.put(kinesis(), stream, EventsJobTesting.json(events));

    Map<String, String> params = EventsJobTesting.params(kinesis(), stream, tmp.toString());
    params.put("kinesis.consumer-type", "EFO");
    params.put("kinesis.efo.consumer-name", "tributary-events-job");
    params.remove("kinesis.polling.interval");
    // The connector's registration and subscription back-offs are sized for AWS's API limits.
    for (String call : List.of("registerstreamconsumer", "describestreamconsumer")) {
      params.put("kinesis.property.flink.stream." + call + ".backoff.base", "100");
      params.put("kinesis.property.flink.stream." + call + ".backoff.max", "300");
    }
    params.put("kinesis.property.flink.shard.subscribetoshard.backoff.base", "100");
    params.put("kinesis.property.flink.shard.subscribetoshard.backoff.max", "300");
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);
    StreamExecutionEnvironment env = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("events-job efo");
    try {
      awaitRows(config.atomicEventsTablePath(), atLeast(events.size()), TIMEOUT, "all events");
      Thread.sleep(1000);
    } finally {
      job.cancel().get();
    }
    assertThat(idCounts(EventsJobTesting.rows(config.atomicEventsTablePath())))
        .containsOnlyKeys(events.stream().map(WebEvent::getEventId).collect(Collectors.toList()))
        .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void atTimestampStartsWithTheRecordsThatArrivedFromThen() throws Exception {
    String stream = "at-timestamp";
    kinesis().createStream(stream, 2);
    List<WebEvent> older = EventsJobTesting.events(5, 20);
    TestKinesis.put(kinesis(), stream, EventsJobTesting.json(older));
    Thread.sleep(1000);
    Instant from = Instant.now();
    Thread.sleep(1000);
    List<WebEvent> newer = EventsJobTesting.events(6, 20);
    TestKinesis.put(kinesis(), stream, EventsJobTesting.json(newer));

    Map<String, String> params = EventsJobTesting.params(kinesis(), stream, tmp.toString());
    params.put("kinesis.initial-position", "AT_TIMESTAMP");
    params.put("kinesis.initial-timestamp", from.toString());
    EventsJobConfig config = EventsJobTesting.config(kinesis(), params);
    StreamExecutionEnvironment env = EventsJobTesting.env(2, new Configuration());
    EventsJob.addTo(env, config);
    JobClient job = env.executeAsync("events-job at timestamp");
    try {
      awaitRows(config.atomicEventsTablePath(), atLeast(newer.size()), TIMEOUT, "the newer events");
      Thread.sleep(1000);
    } finally {
      job.cancel().get();
    }
    assertThat(idCounts(EventsJobTesting.rows(config.atomicEventsTablePath())))
        .containsOnlyKeys(newer.stream().map(WebEvent::getEventId).collect(Collectors.toList()))
        .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  private static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
