package io.tributary.eventsjob;

import io.tributary.events.RejectReason;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Which event timestamps the job accepts into {@code atomic_events}: at most {@link #maxAge()}
 * before and at most {@link #maxFutureSkew()} after the record's arrival in Kinesis. An event
 * outside that range goes to the quarantine table as {@link RejectReason#TIMESTAMP_TOO_OLD} or
 * {@link RejectReason#TIMESTAMP_IN_FUTURE}, with its raw payload, partitioned by its arrival date.
 *
 * <p>Why: {@code atomic_events} is partitioned by {@code event_date}, and every date a checkpoint
 * touches costs the sink an open Parquet file, a data file and an {@code add} action. A burst of
 * events spread over thousands of dates (a wrong client clock, a replayed archive, a forged
 * payload) made thousands of one-row files per commit and exhausted a default TaskManager. The
 * policy bounds the dates a checkpoint can touch to about {@code maxAge + maxFutureSkew} days.
 *
 * <p>The reference is the arrival time Kinesis stamped on the record, not the wall clock: a record
 * replayed after a restore, or read hours late after an outage, is routed exactly as it was the
 * first time. {@link Duration#ZERO} turns a bound off. Immutable.
 */
public final class EventTimePolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Accepts every timestamp the contract accepts. */
  public static final EventTimePolicy NONE = new EventTimePolicy(Duration.ZERO, Duration.ZERO);

  private final Duration maxAge;
  private final Duration maxFutureSkew;

  /**
   * @param maxAge how long before its arrival an event may have happened; 0 for no limit
   * @param maxFutureSkew how long after its arrival an event may claim to happen; 0 for no limit
   * @throws IllegalArgumentException for a negative duration
   */
  public EventTimePolicy(Duration maxAge, Duration maxFutureSkew) {
    if (maxAge.isNegative() || maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException("Negative event-time bound: " + maxAge + ", " + maxFutureSkew);
    }
    this.maxAge = maxAge;
    this.maxFutureSkew = maxFutureSkew;
  }

  public Duration maxAge() {
    return maxAge;
  }

  public Duration maxFutureSkew() {
    return maxFutureSkew;
  }

  /**
   * Why an event at {@code eventTime} that arrived at {@code arrivalMillis} is refused, or null
   * when it is accepted. A timestamp exactly at a bound is accepted.
   */
  public RejectReason check(Instant eventTime, long arrivalMillis) {
    Instant arrival = Instant.ofEpochMilli(arrivalMillis);
    if (!maxAge.isZero() && eventTime.isBefore(arrival.minus(maxAge))) {
      return RejectReason.TIMESTAMP_TOO_OLD;
    }
    if (!maxFutureSkew.isZero() && eventTime.isAfter(arrival.plus(maxFutureSkew))) {
      return RejectReason.TIMESTAMP_IN_FUTURE;
    }
    return null;
  }

  /** The quarantine detail of a refusal by {@link #check}. */
  String detail(RejectReason reason, Instant eventTime, long arrivalMillis) {
    Instant arrival = Instant.ofEpochMilli(arrivalMillis);
    return reason == RejectReason.TIMESTAMP_TOO_OLD
        ? "event_timestamp " + eventTime + " is more than " + maxAge + " (events.max-event-age) before its arrival "
            + arrival
        : "event_timestamp " + eventTime + " is more than " + maxFutureSkew + " (events.max-future-skew) after its arrival "
            + arrival;
  }

  @Override
  public String toString() {
    return "EventTimePolicy{maxAge=" + maxAge + ", maxFutureSkew=" + maxFutureSkew + "}";
  }
}
