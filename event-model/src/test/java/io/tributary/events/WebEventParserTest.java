package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebEventParserTest {

  private static final String ID = "3f2b8c1e-7d4a-4e2b-9c1d-0a1b2c3d4e5f";
  private final WebEventParser parser = new WebEventParser();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Minimal valid event with {@code rest} (starting with a comma, or empty) appended. */
  private static String minimal(String timestampJson, String rest) {
    return "{\"event_id\":\"" + ID + "\",\"event_type\":\"page_view\",\"event_timestamp\":"
        + timestampJson + rest + "}";
  }

  private WebEvent accept(String json) {
    ParseResult r = parser.parse(utf8(json));
    assertThat(r.isAccepted()).as("%s", r).isTrue();
    return r.getEvent();
  }

  private Rejection reject(String json) {
    return reject(utf8(json));
  }

  private Rejection reject(byte[] payload) {
    ParseResult r = parser.parse(payload);
    assertThat(r.isAccepted()).as("%s", r).isFalse();
    return r.getRejection();
  }

  @Test
  void acceptsFullEventWithZuluTimestamp() {
    WebEvent e = accept("{\"schema_version\":1,\"event_id\":\"" + ID + "\",\"event_type\":\"purchase\","
        + "\"event_timestamp\":\"2026-11-22T10:15:30.123Z\",\"user_id\":\"u-1\",\"session_id\":\"s-1\","
        + "\"page_url\":\"https://shop.example.com/order/confirmation\",\"referrer\":\"https://shop.example.com/checkout\","
        + "\"user_agent\":\"Mozilla/5.0\",\"device\":\"mobile\",\"country\":\"FR\",\"order_id\":\"O-1\","
        + "\"properties\":{\"order_total\":19.90,\"items\":[1,2],\"nested\":{\"a\":null}}}");
    assertThat(e.getSchemaVersion()).isEqualTo(1);
    assertThat(e.getEventId()).isEqualTo(ID);
    assertThat(e.getEventType()).isEqualTo(EventType.PURCHASE);
    assertThat(e.getEventTimestamp()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
    assertThat(e.getUserId()).isEqualTo("u-1");
    assertThat(e.getSessionId()).isEqualTo("s-1");
    assertThat(e.getPageUrl()).isEqualTo("https://shop.example.com/order/confirmation");
    assertThat(e.getReferrer()).isEqualTo("https://shop.example.com/checkout");
    assertThat(e.getUserAgent()).isEqualTo("Mozilla/5.0");
    assertThat(e.getDevice()).isEqualTo(Device.MOBILE);
    assertThat(e.getCountry()).isEqualTo("FR");
    assertThat(e.getOrderId()).isEqualTo("O-1");
    assertThat(e.getProperties()).isEqualTo("{\"order_total\":19.90,\"items\":[1,2],\"nested\":{\"a\":null}}");
    assertThat(e.getExtraFields()).isNull();
  }

  @Test
  void acceptsOffsetTimestampAndConvertsToInstant() {
    WebEvent e = accept(minimal("\"2026-11-22T11:15:30.123+01:00\"", ""));
    assertThat(e.getEventTimestamp()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
    WebEvent neg = accept(minimal("\"2026-11-22T05:15:30-05:00\"", ""));
    assertThat(neg.getEventTimestamp()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
  }

  @Test
  void keepsMicroAndNanoPrecision() {
    assertThat(accept(minimal("\"2026-11-22T10:15:30.123456Z\"", "")).getEventTimestamp())
        .isEqualTo(Instant.parse("2026-11-22T10:15:30.123456Z"));
    assertThat(accept(minimal("\"2026-11-22T10:15:30.123456789+02:00\"", "")).getEventTimestamp())
        .isEqualTo(Instant.parse("2026-11-22T08:15:30.123456789Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-22T10:15Z, 2026-11-22T10:15:00Z",
    "2026-11-22t10:15:30z, 2026-11-22T10:15:30Z",
    "2026-11-22T10:15:30+01, 2026-11-22T09:15:30Z",
    "2026-11-22T10:15:30.5-00:30, 2026-11-22T10:45:30.5Z",
  })
  void acceptsIsoVariants(String text, String expected) {
    assertThat(accept(minimal("\"" + text + "\"", "")).getEventTimestamp()).isEqualTo(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "2026-11-22T10:15:30+0100", "2026-11-22T10:15:30Z[Europe/Paris]", "2026-11-22 10:15:30Z",
    "2026-11-22T10:15:30.1234567891Z", "", "  2026-11-22T10:15:30Z", "+12026-11-22T10:15:30Z",
  })
  void rejectsOtherTimestampTexts(String text) {
    Rejection r = reject(minimal("\"" + text + "\"", ""));
    assertThat(r.getReason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
    assertThat(r.getField()).isEqualTo("event_timestamp");
  }

  @Test
  void acceptsEpochMillis() {
    long millis = Instant.parse("2026-11-22T10:15:30.123Z").toEpochMilli();
    assertThat(accept(minimal(Long.toString(millis), "")).getEventTimestamp())
        .isEqualTo(Instant.ofEpochMilli(millis));
  }

  @Test
  void missingOptionalFieldsAreNullAndSchemaVersionDefaultsToOne() {
    WebEvent e = accept(minimal("\"2026-11-22T10:15:30Z\"", ""));
    assertThat(e.getSchemaVersion()).isEqualTo(1);
    assertThat(e.getUserId()).isNull();
    assertThat(e.getSessionId()).isNull();
    assertThat(e.getPageUrl()).isNull();
    assertThat(e.getReferrer()).isNull();
    assertThat(e.getUserAgent()).isNull();
    assertThat(e.getDevice()).isNull();
    assertThat(e.getCountry()).isNull();
    assertThat(e.getOrderId()).isNull();
    assertThat(e.getProperties()).isNull();
    assertThat(e.getExtraFields()).isNull();
  }

  @Test
  void explicitNullsForNullableFieldsAreAccepted() {
    WebEvent e = accept(minimal("\"2026-11-22T10:15:30Z\"",
        ",\"schema_version\":null,\"user_id\":null,\"device\":null,\"country\":null,\"properties\":null"));
    assertThat(e.getUserId()).isNull();
    assertThat(e.getDevice()).isNull();
    assertThat(e.getProperties()).isNull();
  }

  @Test
  void unpairedSurrogateEscapesAreRejectedWhereverTheyAre() {
    // Valid JSON text, but no Unicode string: stored as UTF-8 it would silently become '?'.
    String[][] cases = {
      {",\"user_id\":\"\\ud800x\"", "user_id"},
      {",\"page_url\":\"x\\udc00\"", "page_url"},
      {",\"referrer\":\"\\ude00\\ud83d\"", "referrer"}, // a pair in the wrong order
      {",\"properties\":{\"p\":\"\\uD800\"}", "properties"},
      {",\"properties\":{\"k\\udbff\":1}", "properties"},
      {",\"properties\":{\"a\":[{\"b\":[\"\\udfff\"]}]}", "properties"},
      {",\"ab_test\":\"\\ud800\"", "extra_fields"},
      {",\"x\\ud800\":1", "extra_fields"},
    };
    for (String[] c : cases) {
      Rejection r = reject(minimal("\"2026-11-22T10:15:30Z\"", c[0]));
      assertThat(r.getReason()).as(c[0]).isEqualTo(RejectReason.INVALID_UNICODE);
      assertThat(r.getField()).as(c[0]).isEqualTo(c[1]);
      assertThat(r.getDetail()).as(c[0]).startsWith(c[1] + ": ").contains("unpaired surrogate").doesNotContain("?");
    }
    // The first field in document order is named.
    assertThat(reject(minimal("\"2026-11-22T10:15:30Z\"", ",\"referrer\":\"\\ud800\",\"user_id\":\"\\ud800\"")).getField())
        .isEqualTo("referrer");
    // JSON errors still win, wherever they are...
    assertThat(reject("{\"user_id\":\"\\ud800\",\"event_id\":1,}").getReason()).isEqualTo(RejectReason.NOT_JSON);
    // ...and the text check wins over every field check.
    assertThat(reject("{\"schema_version\":\"1\",\"user_id\":\"\\ud800\"}").getReason()).isEqualTo(RejectReason.INVALID_UNICODE);
    // Non-ASCII payloads take the same checks.
    assertThat(reject(minimal("\"2026-11-22T10:15:30Z\"", ",\"user_id\":\"\u00e9\\ud800\"")).getReason())
        .isEqualTo(RejectReason.INVALID_UNICODE);
  }

  @Test
  void pairedSurrogateEscapesAreOneCharacter() {
    WebEvent e = accept(minimal("\"2026-11-22T10:15:30Z\"",
        ",\"user_id\":\"\\ud83d\\ude00\",\"properties\":{\"\\uD83D\\uDE00\":\"\\ud83d\\ude00\"},\"x\":\"\\\\ud800\""));
    assertThat(e.getUserId()).isEqualTo("\ud83d\ude00");
    assertThat(e.getProperties()).isEqualTo("{\"\ud83d\ude00\":\"\ud83d\ude00\"}");
    // An escaped backslash before "ud800" is six plain characters.
    assertThat(e.getExtraFields()).isEqualTo("{\"x\":\"\\\\ud800\"}");
  }

  @Test
  void numbersInJsonKeptAsTextAreKeptAsWritten() {
    WebEvent e = accept(minimal("\"2026-11-22T10:15:30Z\"",
        ",\"properties\":{\"p\":1e400,\"q\":-0.0,\"r\":-0,\"s\":1E+3,\"t\":19.90,\"u\":1e-400,"
            + "\"v\":123456789012345678901234567890.000},\"w\":[-1e400, 2.5E-3]"));
    assertThat(e.getProperties())
        .isEqualTo("{\"p\":1e400,\"q\":-0.0,\"r\":-0,\"s\":1E+3,\"t\":19.90,\"u\":1e-400,\"v\":123456789012345678901234567890.000}");
    assertThat(e.getExtraFields()).isEqualTo("{\"w\":[-1e400,2.5E-3]}");
    // And they round-trip through the serializer the producers use.
    WebEvent again = accept(WebEventJson.toJson(e));
    assertThat(again).isEqualTo(e);
  }

  @Test
  void unknownTopLevelFieldsAreKeptExactlyInOrder() {
    WebEvent e = accept("{\"zeta\":{\"b\":[1,2.50,\"x\"],\"a\":null},\"event_id\":\"" + ID + "\","
        + "\"event_type\":\"click\",\"event_timestamp\":\"2026-11-22T10:15:30Z\","
        + " \"ab_test\" : \"variant-b\", \"score\": 1e3, \"flag\": false, \"extra_fields\": \"\u00e9\\u00e9\"}");
    assertThat(e.getExtraFields()).isEqualTo(
        "{\"zeta\":{\"b\":[1,2.50,\"x\"],\"a\":null},\"ab_test\":\"variant-b\",\"score\":1e3,"
            + "\"flag\":false,\"extra_fields\":\"\u00e9\u00e9\"}");
  }

  @Test
  void propertiesAreKeptAsCompactJson() {
    WebEvent e = accept(minimal("\"2026-11-22T10:15:30Z\"",
        ",\"properties\": { \"product_id\" : \"P-1\", \"price\" : 59.90, \"qty\": 2, \"big\": 123456789012345678901234567890 }"));
    assertThat(e.getProperties())
        .isEqualTo("{\"product_id\":\"P-1\",\"price\":59.90,\"qty\":2,\"big\":123456789012345678901234567890}");
  }

  @Test
  void upperCaseUuidIsNormalizedToLowerCase() {
    WebEvent e = accept(minimal("\"2026-11-22T10:15:30Z\"", "").replace(ID, ID.toUpperCase()));
    assertThat(e.getEventId()).isEqualTo(ID);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    // payload | reason | field | detail fragment
    "{\"event_type\":\"page_view\",\"event_timestamp\":\"2026-11-22T10:15:30Z\"} | MISSING_FIELD | event_id | event_id: required",
    "{\"event_id\":\"" + ID + "\",\"event_timestamp\":\"2026-11-22T10:15:30Z\"} | MISSING_FIELD | event_type | event_type: required",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\"} | MISSING_FIELD | event_timestamp | event_timestamp: required",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":null} | MISSING_FIELD | event_timestamp | event_timestamp: required",
    "{\"event_id\":7,\"event_type\":\"click\",\"event_timestamp\":0} | WRONG_TYPE | event_id | event_id: expected a string, got number 7",
    "{\"event_id\":\"" + ID + "\",\"event_type\":[\"click\"],\"event_timestamp\":0} | WRONG_TYPE | event_type | event_type: expected a string, got array",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":{}} | WRONG_TYPE | event_timestamp | event_timestamp: expected an ISO-8601 string or an integer",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"user_id\":5} | WRONG_TYPE | user_id | user_id: expected a string",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"session_id\":true} | WRONG_TYPE | session_id | session_id: expected a string, got boolean true",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"order_id\":1} | WRONG_TYPE | order_id | order_id: expected a string",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"properties\":[1]} | WRONG_TYPE | properties | properties: expected a JSON object, got array",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"properties\":\"{}\"} | WRONG_TYPE | properties | properties: expected a JSON object, got string",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"schema_version\":1.0} | WRONG_TYPE | schema_version | schema_version: expected an integer",
    "{\"event_id\":\"not-a-uuid\",\"event_type\":\"click\",\"event_timestamp\":0} | INVALID_VALUE | event_id | event_id: 'not-a-uuid' is not a UUID",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"Click\",\"event_timestamp\":0} | INVALID_VALUE | event_type | event_type: 'Click' is not one of [page_view,",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"device\":\"tv\"} | INVALID_VALUE | device | device: 'tv' is not one of [desktop, mobile, tablet]",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"country\":\"fr\"} | INVALID_VALUE | country | country: 'fr' is not an upper-case ISO 3166-1 alpha-2 code",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0,\"country\":\"QQ\"} | INVALID_VALUE | country | country: 'QQ'",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":\"2026-13-40\"} | BAD_TIMESTAMP | event_timestamp | event_timestamp: '2026-13-40' is not ISO-8601 with a zone nor epoch millis",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":\"2026-11-22T10:15:30\"} | BAD_TIMESTAMP | event_timestamp | event_timestamp: '2026-11-22T10:15:30' is not ISO-8601",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":\"2026-11-22\"} | BAD_TIMESTAMP | event_timestamp | event_timestamp: '2026-11-22'",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":\"2026-02-29T00:00:00Z\"} | BAD_TIMESTAMP | event_timestamp | event_timestamp: '2026-02-29T00:00:00Z'",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":\"1795342530123\"} | BAD_TIMESTAMP | event_timestamp | event_timestamp: '1795342530123'",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":1795342530123.0} | BAD_TIMESTAMP | event_timestamp | epoch millis must be an integer",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":99999999999999999999999} | BAD_TIMESTAMP | event_timestamp | does not fit epoch millis",
    "{\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":-62135596800001} | BAD_TIMESTAMP | event_timestamp | outside years 0001..9999",
    "{\"schema_version\":2,\"event_id\":\"" + ID + "\",\"event_type\":\"click\",\"event_timestamp\":0} | UNSUPPORTED_SCHEMA_VERSION | schema_version | schema_version: 2 is not supported (supported: 1)",
    "{\"schema_version\":4294967297,\"event_id\":\"" + ID + "\"} | UNSUPPORTED_SCHEMA_VERSION | schema_version | schema_version: 4294967297 is not supported",
  })
  void rejectsBadFieldsWithReasonAndField(String json, RejectReason reason, String field, String detail) {
    Rejection r = reject(json);
    assertThat(r.getReason()).as("%s", r).isEqualTo(reason);
    assertThat(r.getField()).isEqualTo(field);
    assertThat(r.getDetail()).startsWith(field + ": ").contains(detail);
  }

  @Test
  void schemaVersionIsCheckedBeforeOtherFields() {
    Rejection r = reject("{\"schema_version\":3}");
    assertThat(r.getReason()).isEqualTo(RejectReason.UNSUPPORTED_SCHEMA_VERSION);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
    "{\"event_id\": ",
    "{'event_id':'x'}",
    "{\"a\":1,\"a\":2}",
    "{\"properties\":{\"k\":1,\"k\":1}}",
    "{} {}",
    "{} x",
    "   ",
    "NaN",
    "{\"a\":1,}",
    "{\"a\":01}",
  })
  void rejectsNonJson(String text) {
    Rejection r = reject(text);
    assertThat(r.getReason()).as("%s", r).isEqualTo(RejectReason.NOT_JSON);
    assertThat(r.getField()).isNull();
    assertThat(r.getDetail()).startsWith("payload: ");
  }

  @Test
  void whitespaceAroundTheObjectIsAcceptedAndATruncatedObjectKeepsItsExactMessage() {
    String event = minimal("\"2026-11-22T10:15:30Z\"", "");
    assertThat(accept(" \t\r\n" + event + " \n\t\r ").getEventId()).isEqualTo(ID);
    String truncated = event.substring(0, event.length() - 1) + "\n";
    assertThat(reject(truncated).getDetail())
        .isEqualTo(new ReferenceWebEventParser().parse(utf8(truncated)).getRejection().getDetail())
        .contains("end-of-input");
  }

  @Test
  void duplicateKeyDetailNamesTheKey() {
    Rejection r = reject(minimal("0", ",\"user_id\":\"a\",\"user_id\":\"b\""));
    assertThat(r.getReason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(r.getDetail()).contains("Duplicate field 'user_id'");
  }

  @Test
  void syntaxErrorsFoundByTheStreamingPathAreWordedAsTheTreeParserWordsThem() {
    // ASCII payloads: rejected by the streaming parser itself; the other: by the tree path.
    String event = minimal("0", "");
    String[] payloads = {
      event + " {}",
      event + "\n1",
      minimal("0", ",\"user_id\":\"a\",\"user_id\":\"b\""),
      "{'event_id':'x'}",
      "{\"a\":1,\n  b:2}",
      minimal("0", ",\"page_url\":\"https://x/\u00e9\"") + " {}",
      minimal("0", ",\"page_url\":\"https://x/\u00e9\",'b':2"),
    };
    ReferenceWebEventParser reference = new ReferenceWebEventParser();
    for (String p : payloads) {
      Rejection expected = reference.parse(utf8(p)).getRejection();
      assertThat(reject(p)).as(p).isEqualTo(expected);
      assertThat(expected.getReason()).isEqualTo(RejectReason.NOT_JSON);
    }
    assertThat(reject(event + " {}").getDetail()).startsWith("payload: Trailing token (of type START_OBJECT)");
    assertThat(reject("{'event_id':'x'}").getDetail()).endsWith("(line 1, column 3)");
  }

  @Test
  void emptyAndNullPayloadsAreNotJson() {
    assertThat(reject(new byte[0]).getReason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(reject(utf8(" \n ")).getReason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(reject((byte[]) null).getReason()).isEqualTo(RejectReason.NOT_JSON);
  }

  @Test
  void invalidUtf8IsNotJson() {
    byte[] valid = utf8(minimal("0", ",\"page_url\":\"https://x/\""));
    String s = new String(valid, StandardCharsets.UTF_8);
    int at = s.indexOf("https://x/");
    byte[][] bad = {
      {(byte) 0xC3, (byte) 0x28}, // bad continuation
      {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // UTF-16 surrogate
      {(byte) 0xFF},
    };
    for (byte[] b : bad) {
      byte[] p = new byte[valid.length + b.length];
      System.arraycopy(valid, 0, p, 0, at);
      System.arraycopy(b, 0, p, at, b.length);
      System.arraycopy(valid, at, p, at + b.length, valid.length - at);
      Rejection r = reject(p);
      assertThat(r.getReason()).isEqualTo(RejectReason.NOT_JSON);
      assertThat(r.getDetail()).isEqualTo("payload: is not valid UTF-8");
    }
  }

  @Test
  void utf16AndByteOrderMarkAreNotJson() {
    String json = minimal("0", "");
    assertThat(reject(json.getBytes(StandardCharsets.UTF_16LE)).getReason()).isEqualTo(RejectReason.NOT_JSON);
    byte[] bom = utf8("\uFEFF" + json);
    assertThat(reject(bom).getReason()).isEqualTo(RejectReason.NOT_JSON);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"[1,2] | array", "\"x\" | string 'x'", "42 | number 42", "true | boolean true", "null | null"})
  void rejectsNonObjects(String json, String got) {
    Rejection r = reject(json);
    assertThat(r.getReason()).isEqualTo(RejectReason.NOT_AN_OBJECT);
    assertThat(r.getField()).isNull();
    assertThat(r.getDetail()).isEqualTo("payload: expected a JSON object, got " + got);
  }

  @Test
  void sizeLimitIsCheckedBeforeParsing() {
    WebEventParser small = new WebEventParser(100);
    byte[] exactly100 = new byte[100];
    java.util.Arrays.fill(exactly100, (byte) ' ');
    byte[] json = utf8(minimal("0", ""));
    System.arraycopy(json, 0, exactly100, 0, json.length);
    assertThat(small.parse(exactly100).isAccepted()).isTrue();

    byte[] garbage101 = new byte[101];
    java.util.Arrays.fill(garbage101, (byte) 0xFF);
    ParseResult r = small.parse(garbage101);
    assertThat(r.getRejection().getReason()).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
    assertThat(r.getRejection().getDetail()).isEqualTo("payload: 101 bytes exceeds the limit of 100 bytes");
  }

  @Test
  void defaultLimitIs64KiB() {
    assertThat(parser.getMaxPayloadBytes()).isEqualTo(65536);
    String base = minimal("0", ",\"properties\":{\"pad\":\"\"}");
    int pad = 65536 - utf8(base).length;
    String atLimit = base.replace("\"pad\":\"\"", "\"pad\":\"" + "x".repeat(pad) + "\"");
    assertThat(utf8(atLimit)).hasSize(65536);
    assertThat(parser.parse(utf8(atLimit)).isAccepted()).isTrue();
    String over = atLimit.replace("\"pad\":\"", "\"pad\":\"y");
    assertThat(parser.parse(utf8(over)).getRejection().getReason()).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
  }

  @Test
  void detailQuotesOnlyAShortExcerpt() {
    String longValue = "z".repeat(10_000);
    Rejection r = reject(minimal("\"" + longValue + "\"", ""));
    assertThat(r.getReason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
    assertThat(r.getDetail()).hasSizeLessThan(200).contains("(10000 chars)");
    Rejection syntax = reject("{\"a\":\"" + longValue + "\" " + longValue + "}");
    assertThat(syntax.getReason()).isEqualTo(RejectReason.NOT_JSON);
    assertThat(syntax.getDetail()).hasSizeLessThan(300);
  }

  @Test
  void controlCharactersInExcerptsAreEscaped() {
    Rejection r = reject(minimal("0", ",\"device\":\"a\\nb\""));
    assertThat(r.getDetail()).isEqualTo("device: 'a\\u000ab' is not one of [desktop, mobile, tablet]");
  }

  @Test
  void deeplyNestedInputIsRejectedNotThrown() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    Rejection r = reject(minimal("0", ",\"x\":" + deep));
    assertThat(r.getReason()).isEqualTo(RejectReason.NOT_JSON);
  }

  @Test
  void isThreadSafe() throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    SessionSimulator sim = new SessionSimulator(7, Instant.parse("2026-11-22T00:00:00Z"));
    List<WebEvent> events = sim.take(2000);
    for (WebEvent e : events) {
      payloads.add(WebEventJson.toBytes(e));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          for (int i = 0; i < payloads.size(); i++) {
            if (!parser.parse(payloads.get(i)).getEvent().equals(events.get(i))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rejectsInvalidLimit() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WebEventParser(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
