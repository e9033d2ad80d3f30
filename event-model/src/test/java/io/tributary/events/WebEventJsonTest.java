package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebEventJsonTest {

  private final WebEventParser parser = new WebEventParser();

  private static WebEvent.Builder minimal() {
    return WebEvent.builder()
        .eventId("3F2B8C1E-7D4A-4E2B-9C1D-0A1B2C3D4E5F")
        .eventType(EventType.PAGE_VIEW)
        .eventTimestamp(Instant.parse("2026-11-22T10:15:30Z"));
  }

  @Test
  void writesContractJsonInFieldOrderOmittingNulls() {
    WebEvent e = minimal()
        .eventTimestamp(Instant.parse("2026-11-22T10:15:30.123456Z"))
        .userId("u-1").device(Device.TABLET).country("DE")
        .properties("{ \"price\" : 19.90 }")
        .extraFields("{\"ab_test\":\"b\",\"n\":[1, 2]}")
        .build();
    assertThat(WebEventJson.toJson(e)).isEqualTo(
        "{\"schema_version\":1,\"event_id\":\"3f2b8c1e-7d4a-4e2b-9c1d-0a1b2c3d4e5f\",\"event_type\":\"page_view\","
            + "\"event_timestamp\":\"2026-11-22T10:15:30.123456Z\",\"user_id\":\"u-1\",\"device\":\"tablet\","
            + "\"country\":\"DE\",\"properties\":{\"price\":19.90},\"ab_test\":\"b\",\"n\":[1,2]}");
  }

  @Test
  void roundTripsEveryFieldAndPrecision() {
    WebEvent e = minimal()
        .eventTimestamp(Instant.parse("2026-11-22T10:15:30.123456789Z"))
        .userId("u-\u00e9\u4e2d\ud83d\ude00").sessionId("s").pageUrl("https://x/?q=a\"b").referrer("")
        .userAgent("UA\n\t").device(Device.MOBILE).country("JP").orderId("O-1")
        .properties("{\"a\":{\"b\":[true,null,1.50,-0,1E+300]}}")
        .extraFields("{\"extra_fields\":{\"x\":1},\"zz\":null}")
        .eventType(EventType.PURCHASE)
        .build();
    WebEvent back = parser.parse(WebEventJson.toBytes(e)).getEvent();
    assertThat(back).isEqualTo(e);
    assertThat(back.hashCode()).isEqualTo(e.hashCode());
    assertThat(back.toString()).isEqualTo(e.toString());
  }

  @Test
  void roundTripsExtremeTimestamps() {
    for (Instant t : new Instant[] {WebEventContract.MIN_TIMESTAMP, WebEventContract.MAX_TIMESTAMP, Instant.EPOCH,
        Instant.parse("1969-12-31T23:59:59.999999Z")}) {
      WebEvent e = minimal().eventTimestamp(t).build();
      assertThat(parser.parse(WebEventJson.toBytes(e)).getEvent()).isEqualTo(e);
    }
  }

  @Test
  void outputIsUtf8() {
    WebEvent e = minimal().userId("\u00e9").build();
    assertThat(new String(WebEventJson.toBytes(e), StandardCharsets.UTF_8)).contains("\"user_id\":\"\u00e9\"");
  }

  @Test
  void builderEnforcesTheContract() {
    assertThatThrownBy(() -> minimal().eventId(null).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event_id: required");
    assertThatThrownBy(() -> minimal().eventId("x").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event_id: 'x' is not a UUID");
    assertThatThrownBy(() -> minimal().eventType(null).build())
        .hasMessageStartingWith("event_type: required");
    assertThatThrownBy(() -> minimal().eventTimestamp(null).build())
        .hasMessageStartingWith("event_timestamp: required");
    assertThatThrownBy(() -> minimal().eventTimestamp(Instant.parse("+10000-01-01T00:00:00Z")).build())
        .hasMessageContaining("outside years 0001..9999");
    assertThatThrownBy(() -> minimal().country("fr").build()).hasMessageStartingWith("country:");
    assertThatThrownBy(() -> minimal().properties("[1]").build()).hasMessageStartingWith("properties:");
    assertThatThrownBy(() -> minimal().properties("{").build()).hasMessageStartingWith("properties:");
    assertThatThrownBy(() -> minimal().extraFields("{\"user_id\":\"u\"}").build())
        .hasMessageStartingWith("extra_fields: 'user_id' is a known field");
  }

  @Test
  void builderCanonicalizesJsonAndEmptyExtras() {
    WebEvent e = minimal().properties(" { \"a\" : 1 } ").extraFields("{ }").build();
    assertThat(e.getProperties()).isEqualTo("{\"a\":1}");
    assertThat(e.getExtraFields()).isNull();
    assertThat(e.toBuilder().build()).isEqualTo(e);
  }
}
