package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.events.SessionSimulator;
import io.tributary.events.WebEvent;
import io.tributary.events.WebEventJson;
import io.tributary.events.WebEventParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

/** The key each record gets before the keyBy, and the record's trip through it. */
class IdentifyEventsTest {
  private static final WebEventParser PARSER = new WebEventParser(4096);
  private static final WebEvent EVENT = new SessionSimulator(9, Instant.parse("2026-11-20T12:00:00Z")).next();
  private static final String JSON = new String(WebEventJson.toBytes(EVENT), StandardCharsets.UTF_8);

  private static KinesisRecord record(String payload) {
    return new KinesisRecord(payload.getBytes(StandardCharsets.UTF_8), "s", "shardId-000000000002", "4711", 1_000);
  }

  @Test
  void aValidEventIsKeyedByItsIdWithoutAParse() {
    SimpleCounter fallbacks = new SimpleCounter();
    EventIdKey expected = EventIdKey.of(EVENT.getEventId());
    assertThat(IdentifyEvents.keyOf(record(JSON), PARSER, fallbacks)).isEqualTo(expected);
    String upper = JSON.replace(EVENT.getEventId(), EVENT.getEventId().toUpperCase(Locale.ROOT));
    assertThat(IdentifyEvents.keyOf(record(upper), PARSER, fallbacks)).isEqualTo(expected);
    assertThat(fallbacks.getCount()).isZero();
  }

  @Test
  void anEscapedKeyIsParsedToFindTheId() {
    SimpleCounter fallbacks = new SimpleCounter();
    String escaped = JSON.replace("\"event_id\"", "\"event\\u005fid\"");
    assertThat(PARSER.parse(escaped.getBytes(StandardCharsets.UTF_8)).isAccepted()).isTrue();
    assertThat(IdentifyEvents.keyOf(record(escaped), PARSER, fallbacks)).isEqualTo(EventIdKey.of(EVENT.getEventId()));
    assertThat(fallbacks.getCount()).isEqualTo(1);
  }

  @Test
  void recordsThatAreNoEventsAreSpreadBySequenceNumber() {
    SimpleCounter fallbacks = new SimpleCounter();
    EventIdKey a = IdentifyEvents.keyOf(record("not json"), PARSER, fallbacks);
    EventIdKey tooLarge = IdentifyEvents.keyOf(record(JSON + " ".repeat(5000)), PARSER, fallbacks);
    assertThat(a).isEqualTo(tooLarge).isEqualTo(EventIdKey.forNonEvent("4711"));
    assertThat(EventIdKey.forNonEvent("4712")).isNotEqualTo(a);
    assertThat(fallbacks.getCount()).isZero();
  }

  @Test
  void theSerializerKeepsEveryField() throws Exception {
    KinesisRecord r = record(JSON);
    IdentifiedRecord in = new IdentifiedRecord(EventIdKey.of(EVENT.getEventId()), r);
    DataOutputSerializer out = new DataOutputSerializer(1024);
    IdentifiedRecord.Serializer.INSTANCE.serialize(in, out);
    DataOutputSerializer copied = new DataOutputSerializer(1024);
    IdentifiedRecord.Serializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
    IdentifiedRecord back = IdentifiedRecord.Serializer.INSTANCE.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()));
    assertThat(back.key()).isEqualTo(in.key());
    assertThat(back.record()).isEqualTo(r);
    assertThat(back.record().getApproximateArrivalMillis()).isEqualTo(1_000);
  }
}
