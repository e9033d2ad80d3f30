package io.tributary.producers;

import io.tributary.events.MalformedPayload;
import io.tributary.events.MalformedPayloads;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.events.WebEventContract;
import io.tributary.events.WebEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Pure, seeded generator of Kinesis records carrying web events: valid events from the event
 * model's {@link SessionSimulator} (serialized with {@link WebEventJson}), bad payloads from its
 * {@link MalformedPayloads} at {@code malformedRate}, and exact re-sends of recent valid records at
 * {@code duplicateRate}.
 *
 * <p>Contract: the record sequence is a pure function of the seed, the clock start and the two
 * rates. Valid records and their duplicates use the event's {@code session_id} as partition key;
 * malformed records use a seeded random key. Not thread-safe.
 */
public final class EventGenerator {

  /** What a record carries. */
  public enum Kind {
    /** A valid event, sent for the first time. */
    VALID,
    /** A payload the events job must quarantine. */
    MALFORMED,
    /** An exact copy (payload and key) of an earlier valid record. */
    DUPLICATE;

    /** Counter name: {@code valid}, {@code malformed}, {@code duplicate}. */
    public String counter() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One record to put. Immutable (the payload array is not copied: do not modify it). */
  public static final class Record {
    private final String partitionKey;
    private final byte[] data;
    private final Kind kind;
    private final String detail;

    Record(String partitionKey, byte[] data, Kind kind, String detail) {
      this.partitionKey = Objects.requireNonNull(partitionKey);
      this.data = Objects.requireNonNull(data);
      this.kind = Objects.requireNonNull(kind);
      this.detail = detail;
    }

    public String partitionKey() {
      return partitionKey;
    }

    public byte[] data() {
      return data;
    }

    public Kind kind() {
      return kind;
    }

    /** The event id (valid, duplicate) or the malformed variant (e.g. {@code bad_timestamp/month_13}). */
    public String detail() {
      return detail;
    }

    /** Bytes counted against the PutRecords request limit (payload + partition key). */
    public int size() {
      return data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
      return kind + "(" + partitionKey + ", " + data.length + " bytes, " + detail + ")";
    }
  }

  private static final int RECENT = 256;

  private final SessionSimulator sessions;
  private final MalformedPayloads malformed;
  private final SplittableRandom random;
  private final double malformedRate;
  private final double duplicateRate;
  private final List<Record> recent = new ArrayList<>(RECENT);
  private int recentNext;

  /**
   * @param seed determines the whole sequence
   * @param clockStart event time of the first simulated session
   * @param malformedRate share of malformed records, in [0, 1]
   * @param duplicateRate share of duplicate records, in [0, 1]; the two rates sum to at most 1
   */
  public EventGenerator(long seed, Instant clockStart, double malformedRate, double duplicateRate) {
    if (!(malformedRate >= 0 && malformedRate <= 1) || !(duplicateRate >= 0 && duplicateRate <= 1)
        || malformedRate + duplicateRate > 1) {
      throw new IllegalArgumentException("rates must be in [0, 1] and sum to at most 1");
    }
    this.sessions = new SessionSimulator(seed, clockStart);
    this.malformed = new MalformedPayloads(seed ^ 0x5EEDBAD5L, clockStart, WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES);
    this.random = new SplittableRandom(seed ^ 0x4D49584CL);
    this.malformedRate = malformedRate;
    this.duplicateRate = duplicateRate;
  }

  /** The next record. */
  public Record next() {
    double r = random.nextDouble();
    if (r < malformedRate) {
      MalformedPayload bad = malformed.next();
      String key = String.format(Locale.ROOT, "malformed-%016x", random.nextLong());
      return new Record(key, bad.getPayload(), Kind.MALFORMED, bad.getKind());
    }
    if (r < malformedRate + duplicateRate && !recent.isEmpty()) {
      Record original = recent.get(random.nextInt(recent.size()));
      return new Record(original.partitionKey, original.data, Kind.DUPLICATE, original.detail);
    }
    WebEvent event = sessions.next();
    Record record = new Record(event.getSessionId(), WebEventJson.toBytes(event), Kind.VALID, event.getEventId());
    if (recent.size() < RECENT) {
      recent.add(record);
    } else {
      recent.set(recentNext, record);
      recentNext = (recentNext + 1) % RECENT;
    }
    return record;
  }
}
