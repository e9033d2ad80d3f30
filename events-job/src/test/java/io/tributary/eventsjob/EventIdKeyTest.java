package io.tributary.eventsjob;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.junit.jupiter.api.Test;

class EventIdKeyTest {

  @Test
  void aCanonicalUuidIsKeptAsItsBitsAndPrintsBack() {
    for (int i = 0; i < 1000; i++) {
      String id = UUID.randomUUID().toString();
      EventIdKey key = EventIdKey.of(id);
      assertThat(key.toString()).isEqualTo(id);
      assertThat(key).isEqualTo(EventIdKey.of(StringData.fromString(id))).hasSameHashCodeAs(EventIdKey.of(id));
      assertThat(EventIdKey.of(StringData.fromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
          .isEqualTo(key).hasSameHashCodeAs(key);
      assertThat(roundTrip(key)).isEqualTo(key).hasToString(id);
    }
    assertThat(EventIdKey.of("00000000-0000-0000-0000-000000000001"))
        .isNotEqualTo(EventIdKey.of("00000000-0000-0000-0000-000000000010"));
    assertThat(EventIdKey.of("ffffffff-ffff-ffff-ffff-ffffffffffff")).hasToString("ffffffff-ffff-ffff-ffff-ffffffffffff");
  }

  @Test
  void otherTextIsKeptAsText() {
    String upper = "0A1B2C3D-0000-4000-8000-00000000000F";
    for (String id : new String[] {"a", "", upper, "0a1b2c3d-0000-4000-8000-00000000000g", "0a1b2c3d00000-4000-8000-00000000000f"}) {
      EventIdKey key = EventIdKey.of(id);
      assertThat(key).hasToString(id).isEqualTo(EventIdKey.of(id)).isEqualTo(roundTrip(key));
      assertThat(EventIdKey.of(StringData.fromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).isEqualTo(key);
    }
    // upper case is a different text, so a different key (the parser lower-cases ids anyway)
    assertThat(EventIdKey.of(upper)).isNotEqualTo(EventIdKey.of(upper.toLowerCase()));
  }

  @Test
  void aNonDigitAtAnyPositionOrAMissingDashMakesItText() {
    String id = "0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d";
    for (int i = 0; i < id.length(); i++) {
      boolean dash = id.charAt(i) == '-';
      for (char c : dash ? new char[] {'0', 'a', '_'} : new char[] {'g', 'G', 'A', '-', '/', ':', '`', '\u0660', '\u0130'}) {
        String other = id.substring(0, i) + c + id.substring(i + 1);
        EventIdKey key = EventIdKey.of(other);
        assertThat(key).as(other).hasToString(other).isEqualTo(roundTrip(key)).isNotEqualTo(EventIdKey.of(id));
        byte[] utf8 = other.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(EventIdKey.of(StringData.fromBytes(utf8))).as(other).isEqualTo(key);
      }
    }
  }

  @Test
  void theKeyOfARowsIdIsTheSameForGenericAndBinaryRows() {
    String id = UUID.randomUUID().toString();
    GenericRowData row = new GenericRowData(AtomicEventsTable.COLUMNS.size());
    row.setField(AtomicEventsTable.EVENT_ID, StringData.fromString(id));
    RowDataSerializer rows = new RowDataSerializer(AtomicEventsTable.ROW_TYPE);
    RowData binary = rows.toBinaryRow(row);
    assertThat(EventIdKey.of(row.getString(AtomicEventsTable.EVENT_ID)))
        .isEqualTo(EventIdKey.of(binary.getString(AtomicEventsTable.EVENT_ID)))
        .hasToString(id);
  }

  /** An id found in a payload keys as the parser's (lower-cased) id does, in either case. */
  @Test
  void anIdFromAPayloadKeysAsItsLowerCaseForm() {
    String id = UUID.randomUUID().toString();
    byte[] upper = ("xx" + id.toUpperCase(java.util.Locale.ROOT) + "yy").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] lower = ("x" + id + "y").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(EventIdKey.ofPayloadId(upper, 2, 36)).isEqualTo(EventIdKey.ofPayloadId(lower, 1, 36)).isEqualTo(EventIdKey.of(id));
    byte[] text = "evt-000123".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(EventIdKey.ofPayloadId(text, 0, text.length)).isEqualTo(EventIdKey.of("evt-000123"));
  }

  private static EventIdKey roundTrip(EventIdKey key) {
    try {
      DataOutputSerializer out = new DataOutputSerializer(64);
      EventIdKey.Serializer.INSTANCE.serialize(key, out);
      DataOutputSerializer copied = new DataOutputSerializer(64);
      EventIdKey.Serializer.INSTANCE.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
      return EventIdKey.Serializer.INSTANCE.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
