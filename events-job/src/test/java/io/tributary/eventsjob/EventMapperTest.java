package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.MalformedPayload;
import io.tributary.events.MalformedPayloads;
import io.tributary.events.RejectReason;
import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.events.WebEventJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.Test;

/** The job's whole transformation, without Flink. */
class EventMapperTest {
  private static final Instant ARRIVAL = Instant.parse("2026-11-22T00:00:01.250Z");
  private static final Instant ETL = Instant.parse("2026-11-22T00:00:02.123456Z");
  private final EventMapper mapper = new EventMapper(64 * 1024);

  private static KinesisRecord record(byte[] payload) {
    return new KinesisRecord(payload, "web-events", "shardId-000000000001", "4968", ARRIVAL.toEpochMilli());
  }

  @Test
  void mapsAnAcceptedEventToEveryAtomicEventsColumn() {
    WebEvent e = new SessionSimulator(5, Instant.parse("2026-11-21T23:59:59Z")).take(30).stream()
        .filter(x -> x.getUserId() != null && x.getProperties() != null && x.getDevice() != null)
        .findFirst()
        .orElseThrow();
    MappedRecord mapped = mapper.map(record(WebEventJson.toBytes(e)), ETL);

    assertThat(mapped.isEvent()).isTrue();
    assertThat(mapped.eventId()).isEqualTo(e.getEventId());
    RowData row = mapped.row();
    assertThat(row.getArity()).isEqualTo(AtomicEventsTable.COLUMNS.size());
    assertThat(row.getString(0).toString()).isEqualTo(e.getEventId());
    assertThat(row.getString(1).toString()).isEqualTo(e.getEventType().wireName());
    assertThat(row.getTimestamp(2, 6).toInstant()).isEqualTo(e.getEventTimestamp());
    assertThat(row.getString(3).toString()).isEqualTo(e.getUserId());
    assertThat(row.getString(4).toString()).isEqualTo(e.getSessionId());
    assertThat(row.getString(5).toString()).isEqualTo(e.getPageUrl());
    assertThat(row.getString(7).toString()).isEqualTo(e.getUserAgent());
    assertThat(row.getString(8).toString()).isEqualTo(e.getDevice().wireName());
    assertThat(row.getString(11).toString()).isEqualTo(e.getProperties());
    assertThat(row.isNullAt(12)).as("no extra fields").isTrue();
    assertThat(row.getInt(13)).isEqualTo(1);
    assertThat(row.getString(14).toString()).isEqualTo("kinesis://web-events/shardId-000000000001/4968");
    assertThat(row.getTimestamp(15, 3)).isEqualTo(TimestampData.fromInstant(ARRIVAL));
    assertThat(row.getTimestamp(16, 6)).isEqualTo(TimestampData.fromInstant(ETL));
    assertThat(row.getInt(17)).isEqualTo((int) LocalDate.ofInstant(e.getEventTimestamp(), java.time.ZoneOffset.UTC).toEpochDay());
  }

  @Test
  void eventDateIsTheUtcDateAndUnknownFieldsAreKept() {
    String json = "{\"event_id\":\"3F2B8C1E-7D4A-4E2B-9C1D-0A1B2C3D4E5F\",\"event_type\":\"click\","
        + "\"event_timestamp\":\"2026-11-22T00:30:00+01:00\",\"ab_test\":\"b\",\"n\":1}";
    MappedRecord mapped = mapper.map(record(json.getBytes(StandardCharsets.UTF_8)), ETL);

    assertThat(mapped.eventId()).isEqualTo("3f2b8c1e-7d4a-4e2b-9c1d-0a1b2c3d4e5f");
    assertThat(mapped.row().getInt(17)).isEqualTo((int) LocalDate.parse("2026-11-21").toEpochDay());
    assertThat(mapped.row().getString(12).toString()).isEqualTo("{\"ab_test\":\"b\",\"n\":1}");
    assertThat(mapped.row().isNullAt(3)).as("anonymous").isTrue();
  }

  @Test
  void quarantinesEveryKindOfBadPayloadWithItsReason() {
    List<MalformedPayload> bad = new MalformedPayloads(3).oneOfEach();
    assertThat(bad.stream().map(MalformedPayload::getExpectedReason))
        .containsAll(java.util.Arrays.stream(RejectReason.values()).filter(RejectReason::isParserReason).collect(java.util.stream.Collectors.toList()));
    for (MalformedPayload b : bad) {
      MappedRecord mapped = mapper.map(record(b.getPayload()), ETL);
      assertThat(mapped.isEvent()).as(b.getKind()).isFalse();
      assertThat(mapped.quarantineReason()).as(b.getKind()).isEqualTo(b.getExpectedReason().name());
      RowData row = mapped.row();
      assertThat(row.getArity()).isEqualTo(QuarantineTable.COLUMNS.size());
      String encoding = row.getString(1).toString();
      byte[] raw = encoding.equals("base64")
          ? Base64.getDecoder().decode(row.getString(0).toString())
          : row.getString(0).toString().getBytes(StandardCharsets.UTF_8);
      assertThat(raw).as(b.getKind()).isEqualTo(b.getPayload());
      assertThat(row.getInt(2)).isEqualTo(b.getPayload().length);
      assertThat(row.getString(3).toString()).isEqualTo(b.getExpectedReason().name());
      assertThat(row.isNullAt(4) ? null : row.getString(4).toString()).as(b.getKind()).isEqualTo(b.getExpectedField());
      assertThat(row.getString(5).toString()).as(b.getKind()).isNotBlank();
      assertThat(row.getString(6).toString()).isEqualTo("web-events");
      assertThat(row.getString(7).toString()).isEqualTo("shardId-000000000001");
      assertThat(row.getString(8).toString()).isEqualTo("4968");
      assertThat(row.getTimestamp(9, 3)).isEqualTo(TimestampData.fromInstant(ARRIVAL));
      assertThat(row.getTimestamp(10, 6)).isEqualTo(TimestampData.fromInstant(ETL));
      assertThat(row.getString(11).toString()).isEqualTo("kinesis://web-events/shardId-000000000001/4968");
      assertThat(row.getInt(12)).as("arrival date").isEqualTo((int) LocalDate.parse("2026-11-22").toEpochDay());
    }
  }

  @Test
  void invalidUtf8IsKeptAsBase64AndTextAsText() {
    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, 2};
    RowData row = mapper.map(record(binary), ETL).row();
    assertThat(row.getString(1).toString()).isEqualTo("base64");
    assertThat(row.getString(0).toString()).isEqualTo(Base64.getEncoder().encodeToString(binary));
    assertThat(row.getString(3).toString()).isEqualTo("NOT_JSON");

    RowData text = mapper.map(record("héllo".getBytes(StandardCharsets.UTF_8)), ETL).row();
    assertThat(text.getString(1).toString()).isEqualTo("utf-8");
    assertThat(text.getString(0).toString()).isEqualTo("héllo");
  }

  @Test
  void theSizeLimitIsConfigurable() {
    byte[] payload = WebEventJson.toBytes(new SessionSimulator(1, ARRIVAL).next());
    assertThat(new EventMapper(payload.length).map(record(payload), ETL).isEvent()).isTrue();
    MappedRecord tooLarge = new EventMapper(payload.length - 1).map(record(payload), ETL);
    assertThat(tooLarge.quarantineReason()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void anEmptyOrNullPayloadIsQuarantinedNotThrown() {
    assertThat(mapper.map(record(new byte[0]), ETL).quarantineReason()).isEqualTo("NOT_JSON");
    MappedRecord nullPayload = mapper.map(record(null), ETL);
    assertThat(nullPayload.quarantineReason()).isEqualTo("NOT_JSON");
    assertThat(nullPayload.row().getInt(2)).isZero();
  }

  @Test
  void anUnexpectedFailureIsQuarantinedAsProcessingError() {
    EventMapper failing = new EventMapper(payload -> {
      throw new IllegalStateException("parser bug");
    });
    MappedRecord mapped = failing.map(record("{}".getBytes(StandardCharsets.UTF_8)), ETL);
    assertThat(mapped.isEvent()).isFalse();
    assertThat(mapped.quarantineReason()).isEqualTo(QuarantineTable.PROCESSING_ERROR);
    assertThat(mapped.row().getString(5).toString()).isEqualTo("java.lang.IllegalStateException: parser bug");
    assertThat(mapped.row().getString(0).toString()).isEqualTo("{}");
  }
}
