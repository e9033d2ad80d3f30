package io.tributary.producers;

import io.tributary.producers.EventGenerator.Record;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Puts realistic web events (see {@link EventGenerator}) into a Kinesis stream with PutRecords, at
 * a paced rate. See {@link Producer} for the run/stop/stats contract.
 *
 * <p>Batching: a request carries at most {@link EventsConfig#batchRecords()} records and {@link
 * EventsConfig#batchBytes()} bytes (payloads plus partition keys), and leaves at the latest {@link
 * EventsConfig#linger()} after its first record was generated.
 *
 * <p>Retries, never dropping a record: a request that fails as a whole with a retryable error
 * (network, throttling, 5xx) is re-sent whole; when a response reports {@code FailedRecordCount >
 * 0}, exactly the entries with an error code (e.g. {@code ProvisionedThroughputExceededException},
 * {@code InternalFailure}) are re-sent, in their original order. Each retry waits an exponential
 * backoff with jitter. A record still failing after {@link EventsConfig#maxAttempts()} attempts, or
 * any non-retryable error (missing stream, access denied), ends the run with a {@link
 * ProducerException}; counters only count records Kinesis acknowledged. Delivery is at least once: a
 * request that failed in transit may have been stored before being re-sent.
 */
public final class EventsProducer implements Producer {

  private final EventsConfig config;
  private final Consumer<String> notices;
  private final EventGenerator generator;
  private final Backoff backoff;

  private final Counters produced = new Counters("valid", "malformed", "duplicate");
  private final Counters details = new Counters("batches", "throttled");
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean stopRequested;
  private volatile long startNanos;
  private volatile long endNanos;

  private KinesisClient client;

  /** A producer that reports nothing while running (read {@link #stats()}). */
  public EventsProducer(EventsConfig config) {
    this(config, message -> { });
  }

  /**
   * @param notices receives one-line notices from the producer thread (throttling, retries); must
   *     not block
   */
  public EventsProducer(EventsConfig config, Consumer<String> notices) {
    this.config = Objects.requireNonNull(config);
    this.notices = Objects.requireNonNull(notices);
    this.generator = new EventGenerator(config.seed(), config.startTime(), config.malformedRate(), config.duplicateRate());
    this.backoff = config.backoff().start(config.seed() ^ 0xB0FFL);
  }

  public EventsConfig config() {
    return config;
  }

  /**
   * Checks that the stream exists, then produces until the count or duration is reached or {@link
   * #stop()} is called; the last partial batch is always sent.
   *
   * @throws ProducerException when Kinesis cannot be reached, the stream does not exist, or a
   *     record cannot be written within the allowed attempts
   */
  @Override
  public ProducerStats run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("an EventsProducer runs once");
    }
    startNanos = System.nanoTime();
    long deadline = config.limits().deadlineNanos(startNanos);
    boolean ownClient = config.client() == null;
    try {
      client = ownClient ? buildClient() : config.client();
      checkStream();
      Pacer pacer = new Pacer(config.rate());
      long lingerNanos = config.linger().toNanos();
      List<Record> batch = new ArrayList<>();
      int batchBytes = 0;
      long batchStart = 0;
      long generated = 0;
      while (!stopRequested && config.limits().remaining(generated) > 0) {
        long due = pacer.reserve(1);
        // Wait for the next record's slot; send a lingering batch meanwhile.
        long now;
        while ((now = System.nanoTime()) < due && !stopRequested && now < deadline) {
          if (!batch.isEmpty() && now - batchStart >= lingerNanos) {
            send(batch);
            batch = new ArrayList<>();
            batchBytes = 0;
            continue;
          }
          long wake = batch.isEmpty() ? due : Math.min(due, batchStart + lingerNanos);
          Pacer.sleepNanos(Math.max(0, Math.min(wake - now, 50_000_000L)));
        }
        if (stopRequested || System.nanoTime() >= deadline) {
          break;
        }
        Record record = generator.next();
        generated++;
        if (!batch.isEmpty() && (batch.size() >= config.batchRecords() || batchBytes + record.size() > config.batchBytes())) {
          send(batch);
          batch = new ArrayList<>();
          batchBytes = 0;
        }
        if (batch.isEmpty()) {
          batchStart = System.nanoTime();
        }
        batch.add(record);
        batchBytes += record.size();
        if (batch.size() >= config.batchRecords() || System.nanoTime() - batchStart >= lingerNanos) {
          send(batch);
          batch = new ArrayList<>();
          batchBytes = 0;
        }
      }
      if (!batch.isEmpty()) {
        send(batch);
      }
      return stats();
    } finally {
      if (ownClient && client != null) {
        client.close();
      }
      endNanos = System.nanoTime();
    }
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  @Override
  public ProducerStats stats() {
    long start = startNanos;
    long end = endNanos != 0 ? endNanos : System.nanoTime();
    Duration elapsed = start == 0 ? Duration.ZERO : Duration.ofNanos(end - start);
    return new ProducerStats("events", elapsed, produced.snapshot(), details.snapshot(), errors.get(), retries.get());
  }

  private KinesisClient buildClient() {
    KinesisClientBuilder b = KinesisClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)));
    if (config.region() != null) {
      b.region(Region.of(config.region()));
    }
    if (config.endpoint() != null) {
      b.endpointOverride(config.endpoint());
    }
    if (config.credentials() != null) {
      b.credentialsProvider(config.credentials());
    }
    try {
      return b.build();
    } catch (SdkClientException e) {
      // Typically no region configured.
      String m = OrdersProducer.message(e);
      throw new ProducerException("cannot create the Kinesis client: "
          + (m.contains("Unable to load region") ? "no AWS region configured" : m) + " (set --region or AWS_REGION)", e);
    }
  }

  private void checkStream() {
    String where = config.endpoint() != null ? config.endpoint().toString()
        : "Kinesis" + (config.region() != null ? " in " + config.region() : "");
    try {
      client.describeStreamSummary(r -> r.streamName(config.stream()));
    } catch (ResourceNotFoundException e) {
      throw new ProducerException("stream " + config.stream() + " does not exist at " + where, e);
    } catch (SdkServiceException e) {
      throw new ProducerException("cannot use stream " + config.stream() + " at " + where + ": "
          + OrdersProducer.message(e), e);
    } catch (SdkClientException e) {
      String m = rootMessage(e);
      throw new ProducerException((m.contains("credentials") ? "cannot use stream " + config.stream() + " at " : "cannot reach ")
          + where + ": " + m, e);
    }
  }

  /** Sends {@code batch} completely, or fails. */
  private void send(List<Record> batch) {
    List<Record> pending = batch;
    int attempt = 0;
    while (true) {
      attempt++;
      PutRecordsResponse response;
      try {
        response = client.putRecords(request(pending));
      } catch (SdkException e) {
        if (!isRetryable(e)) {
          throw new ProducerException("PutRecords to " + config.stream() + " failed: " + rootMessage(e), e);
        }
        errors.addAndGet(pending.size());
        if (e instanceof SdkServiceException && ((SdkServiceException) e).isThrottlingException()) {
          details.add("throttled", pending.size());
        }
        giveUpAfter(attempt, pending.size(), rootMessage(e), e);
        notices.accept("PutRecords failed (" + rootMessage(e) + "); retrying " + pending.size() + " records");
        retries.addAndGet(pending.size());
        sleep(backoff.delay(attempt));
        continue;
      }
      details.increment("batches");
      List<PutRecordsResultEntry> results = response.records();
      if (results.size() != pending.size()) {
        throw new ProducerException("PutRecords answered " + results.size() + " results for " + pending.size() + " records");
      }
      List<Record> failed = new ArrayList<>();
      String lastError = null;
      for (int i = 0; i < results.size(); i++) {
        PutRecordsResultEntry result = results.get(i);
        if (result.errorCode() == null) {
          produced.increment(pending.get(i).kind().counter());
        } else {
          failed.add(pending.get(i));
          lastError = result.errorCode() + (result.errorMessage() == null ? "" : ": " + result.errorMessage());
          if (result.errorCode().contains("Throughput") || result.errorCode().contains("Throttl")) {
            details.increment("throttled");
          }
        }
      }
      if (failed.isEmpty()) {
        return;
      }
      errors.addAndGet(failed.size());
      giveUpAfter(attempt, failed.size(), lastError, null);
      retries.addAndGet(failed.size());
      pending = failed;
      sleep(backoff.delay(attempt));
    }
  }

  private void giveUpAfter(int attempt, int records, String lastError, Throwable cause) {
    if (attempt >= config.maxAttempts()) {
      throw new ProducerException(records + " record(s) could not be written to " + config.stream() + " after "
          + attempt + " attempts (last error: " + lastError + ")", cause);
    }
  }

  private PutRecordsRequest request(List<Record> records) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>(records.size());
    for (Record r : records) {
      entries.add(PutRecordsRequestEntry.builder()
          .partitionKey(r.partitionKey())
          .data(SdkBytes.fromByteArrayUnsafe(r.data()))
          .build());
    }
    return PutRecordsRequest.builder().streamName(config.stream()).records(entries).build();
  }

  /** Network errors, throttling and server errors; not a missing stream or a denied access. */
  static boolean isRetryable(SdkException e) {
    if (e instanceof ResourceNotFoundException) {
      return false;
    }
    if (e instanceof SdkServiceException) {
      SdkServiceException s = (SdkServiceException) e;
      return s.isThrottlingException() || s.statusCode() >= 500
          || s.getClass().getSimpleName().equals("ProvisionedThroughputExceededException")
          || s.getClass().getSimpleName().equals("LimitExceededException");
    }
    return e instanceof SdkClientException || e.retryable();
  }

  private void sleep(Duration d) {
    // Not interrupted by stop(): the records in flight must still be written.
    long until = System.nanoTime() + d.toNanos();
    long now;
    while ((now = System.nanoTime()) < until) {
      Pacer.sleepNanos(until - now);
    }
  }

  /** The innermost message, e.g. {@code Connection refused} rather than the SDK's wrapper text. */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String root = OrdersProducer.message(t);
    String top = OrdersProducer.message(e);
    return shortenAwsMessage(t == e || top.contains(root) ? top : top + " (" + root + ")");
  }

  /** The SDK lists every credential provider it tried, in one huge line: say it briefly. */
  static String shortenAwsMessage(String message) {
    int at = message.indexOf("Unable to load credentials from any of the providers");
    if (at < 0) {
      return message;
    }
    return message.substring(0, at) + "no AWS credentials found (tried: environment, system properties, web identity,"
        + " profile, container and instance roles; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";
  }
}
