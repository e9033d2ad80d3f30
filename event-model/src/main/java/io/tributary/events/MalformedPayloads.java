package io.tributary.events;

import static io.tributary.events.WebEventContract.COUNTRY;
import static io.tributary.events.WebEventContract.DEVICE;
import static io.tributary.events.WebEventContract.EVENT_ID;
import static io.tributary.events.WebEventContract.EVENT_TIMESTAMP;
import static io.tributary.events.WebEventContract.EVENT_TYPE;
import static io.tributary.events.WebEventContract.PAGE_URL;
import static io.tributary.events.WebEventContract.PROPERTIES;
import static io.tributary.events.WebEventContract.SCHEMA_VERSION_FIELD;
import static io.tributary.events.WebEventContract.USER_ID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Deterministic generator of bad payloads, each tagged with the {@link RejectReason} (and field)
 * that {@link WebEventParser} must give. Every variant starts from a valid event of a {@link
 * SessionSimulator} seeded with the same seed and breaks exactly one rule, so the expected reason
 * is unambiguous under the parser's check order.
 *
 * <p>Same seed, clock start and size limit give the same payloads. Not thread-safe.
 */
public final class MalformedPayloads {

  private static final class Variant {
    final String kind;
    final RejectReason reason;
    final String field;
    final Function<ObjectNode, byte[]> make;

    Variant(String kind, RejectReason reason, String field, Function<ObjectNode, byte[]> make) {
      this.kind = kind;
      this.reason = reason;
      this.field = field;
      this.make = make;
    }
  }

  private final SessionSimulator valid;
  private final SplittableRandom random;
  private final List<Variant> variants;

  /** Clock start 2026-11-22T00:00:00Z and the default size limit. */
  public MalformedPayloads(long seed) {
    this(seed, Instant.parse("2026-11-22T00:00:00Z"), WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * @param seed determines the whole sequence
   * @param clockStart clock start of the underlying {@link SessionSimulator}
   * @param maxPayloadBytes the parser limit that {@code payload_too_large} payloads must exceed
   */
  public MalformedPayloads(long seed, Instant clockStart, int maxPayloadBytes) {
    this.valid = new SessionSimulator(seed, clockStart);
    this.random = new SplittableRandom(seed ^ 0x6D616C666F726DL);
    this.variants = Collections.unmodifiableList(variants(maxPayloadBytes));
  }

  /** The names of all variants, in {@link #oneOfEach()} order. */
  public List<String> kinds() {
    List<String> kinds = new ArrayList<>();
    for (Variant v : variants) {
      kinds.add(v.kind);
    }
    return kinds;
  }

  /** A bad payload of a randomly chosen variant. */
  public MalformedPayload next() {
    return make(variants.get(random.nextInt(variants.size())));
  }

  /** One payload of every variant, covering every {@link RejectReason}. */
  public List<MalformedPayload> oneOfEach() {
    List<MalformedPayload> out = new ArrayList<>();
    for (Variant v : variants) {
      out.add(make(v));
    }
    return out;
  }

  private MalformedPayload make(Variant v) {
    ObjectNode base;
    try {
      base = (ObjectNode) Json.MAPPER.readTree(WebEventJson.toBytes(valid.next()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MalformedPayload(v.kind, v.reason, v.field, v.make.apply(base));
  }

  private static List<Variant> variants(int maxPayloadBytes) {
    List<Variant> v = new ArrayList<>();
    RejectReason nj = RejectReason.NOT_JSON;
    v.add(new Variant("not_json/truncated", nj, null, o -> {
      byte[] b = bytes(o);
      return Arrays.copyOf(b, b.length / 2);
    }));
    v.add(new Variant("not_json/invalid_utf8", nj, null, o -> {
      String s = text(o);
      int at = s.indexOf("\"" + PAGE_URL + "\":\"") + PAGE_URL.length() + 4;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] head = s.substring(0, at).getBytes(StandardCharsets.UTF_8);
      byte[] tail = s.substring(at).getBytes(StandardCharsets.UTF_8);
      out.write(head, 0, head.length);
      out.write(0xC3); // lead byte followed by a non-continuation byte
      out.write(0x28);
      out.write(tail, 0, tail.length);
      return out.toByteArray();
    }));
    v.add(new Variant("not_json/duplicate_key", nj, null,
        o -> utf8("{\"" + EVENT_TYPE + "\":\"click\"," + text(o).substring(1))));
    v.add(new Variant("not_json/trailing_content", nj, null, o -> utf8(text(o) + " {}")));
    v.add(new Variant("not_json/single_quotes", nj, null, o -> utf8(text(o).replace('"', '\''))));
    v.add(new Variant("not_json/empty", nj, null, o -> new byte[0]));
    v.add(new Variant("not_json/csv_line", nj, null,
        o -> utf8(o.get(EVENT_ID).asText() + ",page_view," + o.get(EVENT_TIMESTAMP).asText())));

    RejectReason nao = RejectReason.NOT_AN_OBJECT;
    v.add(new Variant("not_an_object/array", nao, null, o -> utf8("[" + text(o) + "]")));
    v.add(new Variant("not_an_object/string", nao, null, o -> utf8("\"page_view\"")));
    v.add(new Variant("not_an_object/null", nao, null, o -> utf8("null")));

    // Valid JSON text that no UTF-8 column can hold: the escape is written into the text by hand,
    // since Jackson's writer would turn the lone surrogate into '?' itself.
    RejectReason iu = RejectReason.INVALID_UNICODE;
    v.add(new Variant("invalid_unicode/user_id_lone_surrogate", iu, USER_ID,
        o -> utf8(text(o.put(USER_ID, LONE_SURROGATE_MARK)).replace(LONE_SURROGATE_MARK, "\\ud800x"))));
    v.add(new Variant("invalid_unicode/properties_key_lone_low_surrogate", iu, PROPERTIES, o -> {
      o.putObject(PROPERTIES).put(LONE_SURROGATE_MARK, 1);
      return utf8(text(o).replace(LONE_SURROGATE_MARK, "k\\udc00"));
    }));

    RejectReason mf = RejectReason.MISSING_FIELD;
    v.add(new Variant("missing_field/event_id", mf, EVENT_ID, o -> without(o, EVENT_ID)));
    v.add(new Variant("missing_field/event_type", mf, EVENT_TYPE, o -> without(o, EVENT_TYPE)));
    v.add(new Variant("missing_field/event_timestamp", mf, EVENT_TIMESTAMP, o -> without(o, EVENT_TIMESTAMP)));
    v.add(new Variant("missing_field/event_id_null", mf, EVENT_ID, o -> bytes(o.putNull(EVENT_ID))));

    RejectReason wt = RejectReason.WRONG_TYPE;
    v.add(new Variant("wrong_type/event_id_number", wt, EVENT_ID, o -> bytes(o.put(EVENT_ID, 12345))));
    v.add(new Variant("wrong_type/user_id_number", wt, USER_ID, o -> bytes(o.put(USER_ID, 42))));
    v.add(new Variant("wrong_type/properties_string", wt, PROPERTIES,
        o -> bytes(o.put(PROPERTIES, "{\"product_id\":\"P-1001\"}"))));
    v.add(new Variant("wrong_type/page_url_array", wt, PAGE_URL, o -> {
      o.putArray(PAGE_URL).add("https://shop.example.com/");
      return bytes(o);
    }));
    v.add(new Variant("wrong_type/event_timestamp_boolean", wt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, true))));
    v.add(new Variant("wrong_type/device_number", wt, DEVICE, o -> bytes(o.put(DEVICE, 1))));
    v.add(new Variant("wrong_type/schema_version_string", wt, SCHEMA_VERSION_FIELD,
        o -> bytes(o.put(SCHEMA_VERSION_FIELD, "1"))));

    RejectReason iv = RejectReason.INVALID_VALUE;
    v.add(new Variant("invalid_value/event_id_not_uuid", iv, EVENT_ID, o -> bytes(o.put(EVENT_ID, "evt-000123"))));
    v.add(new Variant("invalid_value/event_type_unknown", iv, EVENT_TYPE, o -> bytes(o.put(EVENT_TYPE, "page_visit"))));
    v.add(new Variant("invalid_value/event_type_upper_case", iv, EVENT_TYPE, o -> bytes(o.put(EVENT_TYPE, "PAGE_VIEW"))));
    v.add(new Variant("invalid_value/device_unknown", iv, DEVICE, o -> bytes(o.put(DEVICE, "smartwatch"))));
    v.add(new Variant("invalid_value/country_lower_case", iv, COUNTRY, o -> bytes(o.put(COUNTRY, "fr"))));
    v.add(new Variant("invalid_value/country_alpha3", iv, COUNTRY, o -> bytes(o.put(COUNTRY, "FRA"))));

    RejectReason bt = RejectReason.BAD_TIMESTAMP;
    v.add(new Variant("bad_timestamp/month_13", bt, EVENT_TIMESTAMP, o -> bytes(o.put(EVENT_TIMESTAMP, "2026-13-40"))));
    v.add(new Variant("bad_timestamp/no_zone", bt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, "2026-11-22T10:15:30.123"))));
    v.add(new Variant("bad_timestamp/day_month_year", bt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, "22/11/2026 10:15:30"))));
    v.add(new Variant("bad_timestamp/february_30", bt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, "2026-02-30T10:15:30Z"))));
    v.add(new Variant("bad_timestamp/millis_as_string", bt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, "1795342530123"))));
    v.add(new Variant("bad_timestamp/fractional_millis", bt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, new BigDecimal("1795342530123.5")))));
    v.add(new Variant("bad_timestamp/millis_beyond_year_9999", bt, EVENT_TIMESTAMP,
        o -> bytes(o.put(EVENT_TIMESTAMP, 253402300800000L))));

    RejectReason usv = RejectReason.UNSUPPORTED_SCHEMA_VERSION;
    v.add(new Variant("unsupported_schema_version/2", usv, SCHEMA_VERSION_FIELD, o -> bytes(o.put(SCHEMA_VERSION_FIELD, 2))));
    v.add(new Variant("unsupported_schema_version/0", usv, SCHEMA_VERSION_FIELD, o -> bytes(o.put(SCHEMA_VERSION_FIELD, 0))));

    v.add(new Variant("payload_too_large/padded_properties", RejectReason.PAYLOAD_TOO_LARGE, null, o -> {
      char[] pad = new char[maxPayloadBytes];
      Arrays.fill(pad, 'x');
      o.putObject(PROPERTIES).put("padding", new String(pad));
      return bytes(o);
    }));
    return v;
  }

  /** Replaced in the JSON text by an escaped unpaired surrogate. */
  private static final String LONE_SURROGATE_MARK = "@@lone-surrogate@@";

  private static byte[] without(ObjectNode o, String field) {
    o.remove(field);
    return bytes(o);
  }

  private static String text(ObjectNode o) {
    return new String(bytes(o), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ObjectNode o) {
    try {
      return Json.MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
