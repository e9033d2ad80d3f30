package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON Schema resource stays in sync with the code (no validator library: structural checks). */
class SchemaResourceTest {

  @Test
  void schemaListsTheKnownFieldsAndEnums() throws Exception {
    JsonNode schema;
    try (InputStream in = WebEventContract.class.getResourceAsStream(WebEventContract.SCHEMA_RESOURCE)) {
      assertThat(in).isNotNull();
      schema = new ObjectMapper().readTree(in);
    }
    List<String> props = new ArrayList<>();
    schema.get("properties").fieldNames().forEachRemaining(props::add);
    assertThat(props).containsExactlyElementsOf(WebEventContract.KNOWN_FIELDS);
    List<String> required = new ArrayList<>();
    schema.get("required").forEach(n -> required.add(n.asText()));
    assertThat(required).containsExactly("event_id", "event_type", "event_timestamp");
    List<String> types = new ArrayList<>();
    schema.at("/properties/event_type/enum").forEach(n -> types.add(n.asText()));
    List<String> expected = new ArrayList<>();
    for (EventType t : EventType.values()) {
      expected.add(t.wireName());
    }
    assertThat(types).containsExactlyElementsOf(expected);
    List<String> devices = new ArrayList<>();
    schema.at("/properties/device/enum").forEach(n -> devices.add(n.isNull() ? null : n.asText()));
    assertThat(devices).containsExactly("desktop", "mobile", "tablet", null);
    assertThat(schema.get("additionalProperties").asBoolean()).isTrue();
  }
}
