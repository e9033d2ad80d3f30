package io.tributary.producers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.events.ParseResult;
import io.tributary.events.WebEventParser;
import io.tributary.kinesis.KinesisEmulator;
import io.tributary.kinesis.KinesisEmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;

/** {@link EventsProducer} and {@code produce events} against the Kinesis emulator. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EventsProducerITCase {

  @RegisterExtension
  static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

  private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");
  private static KinesisClient client;

  @BeforeAll
  static void client() {
    client = KINESIS.emulator().newClient();
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  private static EventsConfig.Builder config(String stream) {
    KinesisEmulator k = KINESIS.emulator();
    k.createStream(stream, 1);
    return EventsConfig.builder().stream(stream).endpoint(k.endpoint()).region(k.region())
        .credentials(k.credentialsProvider()).rate(Rate.UNLIMITED).startTime(START)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  void everyRecordProducedIsInTheStreamAndTheMalformedShareHolds() {
    ProducerStats stats = new EventsProducer(config("mix").seed(21).count(1_500).malformedRate(0.05)
        .duplicateRate(0.02).batchRecords(250).build()).run();
    assertThat(stats.total()).isEqualTo(1_500);
    assertThat(stats.errors()).isZero();
    assertThat(stats.details().get("batches")).isEqualTo(6);

    List<Record> records = StreamReader.readAll(client, "mix");
    assertThat(records).hasSize(1_500);
    WebEventParser parser = new WebEventParser();
    int rejected = 0;
    int accepted = 0;
    Set<String> eventIds = new HashSet<>();
    for (Record r : records) {
      ParseResult result = parser.parse(r.data().asByteArray());
      if (result.isAccepted()) {
        accepted++;
        eventIds.add(result.getEvent().getEventId());
        assertThat(r.partitionKey()).isEqualTo(result.getEvent().getSessionId());
      } else {
        rejected++;
      }
    }
    assertThat(rejected).isEqualTo(stats.produced("malformed"));
    assertThat(rejected / 1500.0).isCloseTo(0.05, within(0.015));
    assertThat(accepted - eventIds.size()).isEqualTo(stats.produced("duplicate"));
    assertThat(eventIds).hasSize((int) stats.produced("valid"));
    assertThat(stats.produced("duplicate") / 1500.0).isCloseTo(0.02, within(0.01));
  }

  @Test
  void partialFailuresAndThrottledRequestsAreRetriedWithoutLossOrDuplicates() {
    FlakyClient flaky = new FlakyClient(client, 3, 2);
    ProducerStats stats = new EventsProducer(config("flaky").client(flaky).seed(8).count(600).batchRecords(100).build()).run();

    assertThat(stats.total()).isEqualTo(600);
    assertThat(stats.retries()).isPositive();
    assertThat(stats.details().get("throttled")).isPositive();
    // Only the failed entries were sent again.
    assertThat(flaky.entriesSent.get()).isEqualTo(600 + flaky.entriesFailed.get() + flaky.entriesOfFailedRequests.get());
    List<Record> records = StreamReader.readAll(client, "flaky");
    Set<String> ids = new HashSet<>();
    for (Record r : records) {
      ids.add(new WebEventParser().parse(r.data().asByteArray()).getEvent().getEventId());
    }
    assertThat(records).hasSize(600);
    assertThat(ids).hasSize(600);
  }

  @Test
  void aRecordThatKeepsFailingEndsTheRunWithAClearError() {
    FlakyClient alwaysFailsFirst = new FlakyClient(client, 1_000_000, 0);
    alwaysFailsFirst.failFirstEntryAlways = true;
    EventsProducer producer = new EventsProducer(config("stuck").client(alwaysFailsFirst).seed(2).count(50)
        .batchRecords(50).maxAttempts(3).build());
    assertThatThrownBy(producer::run).isInstanceOf(ProducerException.class)
        .hasMessage("1 record(s) could not be written to stuck after 3 attempts (last error: "
            + "ProvisionedThroughputExceededException: Rate exceeded for shard (simulated))");
    // The other 49 were written and counted; the failed one is reported, not silently dropped.
    assertThat(producer.stats().total()).isEqualTo(49);
    assertThat(producer.stats().errors()).isEqualTo(3);
    assertThat(StreamReader.readAll(client, "stuck")).hasSize(49);
  }

  @Test
  void sameSeedAndStartTimeSameRecords() {
    new EventsProducer(config("same-a").seed(4).count(200).malformedRate(0.1).duplicateRate(0.1).build()).run();
    new EventsProducer(config("same-b").seed(4).count(200).malformedRate(0.1).duplicateRate(0.1).build()).run();
    List<String> a = payloads(StreamReader.readAll(client, "same-a"));
    List<String> b = payloads(StreamReader.readAll(client, "same-b"));
    assertThat(a).hasSize(200).isEqualTo(b);
  }

  @Test
  void pacedRunSendsLingeringBatches() {
    ProducerStats stats = new EventsProducer(config("paced").seed(5).rate(Rate.perSecond(100))
        .duration(Duration.ofMillis(1200)).linger(Duration.ofMillis(200)).build()).run();
    assertThat(stats.total()).isBetween(80L, 125L);
    // About one batch per linger period, not one huge batch at the end nor one per record.
    assertThat(stats.details().get("batches")).isBetween(4L, 12L);
    assertThat(StreamReader.readAll(client, "paced")).hasSize((int) stats.total());
  }

  @Test
  void aMissingStreamFailsClearly() {
    KinesisEmulator k = KINESIS.emulator();
    EventsConfig config = EventsConfig.builder().stream("nope").endpoint(k.endpoint()).region(k.region())
        .credentials(k.credentialsProvider()).count(1).build();
    assertThatThrownBy(() -> new EventsProducer(config).run()).isInstanceOf(ProducerException.class)
        .hasMessage("stream nope does not exist at " + k.endpoint());
  }

  @Test
  void commandLineRunWithCredentialsFromTheEnvironment() {
    KinesisEmulator k = KINESIS.emulator();
    k.createStream("cli", 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = Map.of("EMU_KEY", k.accessKeyId(), "EMU_SECRET", k.secretAccessKey());
    ProduceCommand command = new ProduceCommand(env::get, new io.tributary.config.Secrets(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    int exit = ProduceCommand.commandLine(command).execute("events", "--stream", "cli", "--endpoint",
        k.endpoint().toString(), "--region", k.region(), "--access-key-id-env", "EMU_KEY",
        "--secret-access-key-env", "EMU_SECRET", "--count", "120", "--rate", "max", "--seed", "3",
        "--malformed-rate", "0.1", "--duplicate-rate", "0.05", "--start-time", "2026-11-22T00:00:00Z", "-q");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("produce events: done:", "total=120", "seed 3");
    assertThat(StreamReader.readAll(client, "cli")).hasSize(120);
  }

  private static List<String> payloads(List<Record> records) {
    List<String> out = new ArrayList<>();
    for (Record r : records) {
      out.add(r.partitionKey() + " " + r.data().asString(StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  /**
   * The one fake: wraps the emulator's client and makes PutRecords fail like a throttled shard. Every
   * {@code failEvery}-th entry of a request's first attempt comes back with
   * ProvisionedThroughputExceededException (the others are really written), and the first
   * {@code throttledRequests} requests fail as a whole.
   */
  static final class FlakyClient implements KinesisClient {
    private final KinesisClient real;
    private final int failEvery;
    private int throttledRequests;
    boolean failFirstEntryAlways;
    final AtomicInteger entriesSent = new AtomicInteger();
    final AtomicInteger entriesFailed = new AtomicInteger();
    final AtomicInteger entriesOfFailedRequests = new AtomicInteger();
    private final Set<String> failedOnce = new HashSet<>();

    FlakyClient(KinesisClient real, int failEvery, int throttledRequests) {
      this.real = real;
      this.failEvery = failEvery;
      this.throttledRequests = throttledRequests;
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest request) {
      entriesSent.addAndGet(request.records().size());
      if (throttledRequests > 0) {
        throttledRequests--;
        entriesOfFailedRequests.addAndGet(request.records().size());
        throw ProvisionedThroughputExceededException.builder().statusCode(400)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                .errorMessage("Rate exceeded (simulated)").build())
            .build();
      }
      List<PutRecordsRequestEntry> pass = new ArrayList<>();
      boolean[] fail = new boolean[request.records().size()];
      for (int i = 0; i < fail.length; i++) {
        PutRecordsRequestEntry e = request.records().get(i);
        String id = e.data().asString(StandardCharsets.ISO_8859_1);
        fail[i] = failFirstEntryAlways ? i == 0 : i % failEvery == failEvery - 1 && failedOnce.add(id);
        if (fail[i]) {
          entriesFailed.incrementAndGet();
        } else {
          pass.add(e);
        }
      }
      List<PutRecordsResultEntry> written = pass.isEmpty() ? List.of()
          : real.putRecords(request.toBuilder().records(pass).build()).records();
      List<PutRecordsResultEntry> results = new ArrayList<>();
      int next = 0;
      int failed = 0;
      for (boolean f : fail) {
        if (f) {
          failed++;
          results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
              .errorMessage("Rate exceeded for shard (simulated)").build());
        } else {
          results.add(written.get(next++));
        }
      }
      return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
    }

    @Override
    public DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest request) {
      return real.describeStreamSummary(request);
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {
      // The real client belongs to the test class.
    }
  }
}
