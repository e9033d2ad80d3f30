package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.events.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

/** The late and future event-time policy, on its own and in the job's mapping. */
class EventTimePolicyTest {
  private static final Instant ARRIVAL = Instant.parse("2026-11-22T10:00:00Z");
  private static final EventTimePolicy POLICY = new EventTimePolicy(Duration.ofDays(30), Duration.ofDays(1));

  @Test
  void acceptsUpToEachBoundAndRefusesBeyond() {
    long arrival = ARRIVAL.toEpochMilli();
    assertThat(POLICY.check(ARRIVAL, arrival)).isNull();
    assertThat(POLICY.check(ARRIVAL.minus(Duration.ofDays(30)), arrival)).isNull();
    assertThat(POLICY.check(ARRIVAL.minus(Duration.ofDays(30)).minusNanos(1000), arrival))
        .isEqualTo(RejectReason.TIMESTAMP_TOO_OLD);
    assertThat(POLICY.check(ARRIVAL.plus(Duration.ofDays(1)), arrival)).isNull();
    assertThat(POLICY.check(ARRIVAL.plus(Duration.ofDays(1)).plusMillis(1), arrival))
        .isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
    assertThat(POLICY.check(Instant.parse("0001-01-01T00:00:00Z"), arrival)).isEqualTo(RejectReason.TIMESTAMP_TOO_OLD);
    assertThat(POLICY.check(Instant.parse("9999-12-31T23:59:59Z"), arrival)).isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
  }

  @Test
  void zeroTurnsABoundOff() {
    long arrival = ARRIVAL.toEpochMilli();
    assertThat(EventTimePolicy.NONE.check(Instant.parse("0001-01-01T00:00:00Z"), arrival)).isNull();
    assertThat(EventTimePolicy.NONE.check(Instant.parse("9999-12-31T23:59:59Z"), arrival)).isNull();
    assertThat(new EventTimePolicy(Duration.ZERO, Duration.ofDays(1)).check(Instant.parse("1970-01-01T00:00:00Z"), arrival))
        .isNull();
    assertThatThrownBy(() -> new EventTimePolicy(Duration.ofDays(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMapperQuarantinesRefusedEventsByTheirArrivalNotTheWallClock() {
    EventMapper mapper = new EventMapper(64 * 1024, POLICY);
    Instant etl = Instant.parse("2030-01-01T00:00:00Z"); // read years later: the decision stays
    MappedRecord old = mapper.map(record("2026-10-01T00:00:00Z"), etl);
    assertThat(old.isEvent()).isFalse();
    assertThat(old.quarantineReason()).isEqualTo("TIMESTAMP_TOO_OLD");
    RowData row = old.row();
    assertThat(row.getString(0).toString()).as("raw payload").contains("2026-10-01T00:00:00Z");
    assertThat(row.getString(3).toString()).isEqualTo("TIMESTAMP_TOO_OLD");
    assertThat(row.getString(4).toString()).isEqualTo("event_timestamp");
    assertThat(row.getString(5).toString()).contains("events.max-event-age");
    assertThat(row.getInt(12)).as("partitioned by arrival date")
        .isEqualTo((int) LocalDate.ofInstant(ARRIVAL, ZoneOffset.UTC).toEpochDay());

    MappedRecord future = mapper.map(record("2026-11-24T00:00:00Z"), etl);
    assertThat(future.quarantineReason()).isEqualTo("TIMESTAMP_IN_FUTURE");
    assertThat(future.row().getString(5).toString()).contains("events.max-future-skew");

    assertThat(mapper.map(record("2026-10-24T00:00:00Z"), etl).isEvent()).isTrue();
    assertThat(mapper.map(record("2026-11-23T09:00:00Z"), etl).isEvent()).isTrue();
  }

  private static KinesisRecord record(String timestamp) {
    String json = "{\"event_id\":\"3f2b8c1e-7d4a-4e2b-9c1d-0a1b2c3d4e5f\",\"event_type\":\"click\","
        + "\"event_timestamp\":\"" + timestamp + "\"}";
    return new KinesisRecord(json.getBytes(StandardCharsets.UTF_8), "web-events", "shardId-000000000001", "4968",
        ARRIVAL.toEpochMilli());
  }
}
