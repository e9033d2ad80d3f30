package io.tributary.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Differential test: the optimised streaming {@link WebEventParser} must give exactly the same
 * {@link ParseResult} (accepted event field by field, or reason, field and detail) as the
 * pre-optimisation tree-based {@link ReferenceWebEventParser}, on valid, malformed and randomly
 * mutated payloads.
 */
class WebEventParserEquivalenceTest {

  private static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

  private final WebEventParser fast = new WebEventParser();
  private final ReferenceWebEventParser reference = new ReferenceWebEventParser();
  private int accepted;
  private int rejected;

  private void same(byte[] payload) {
    same(fast, reference, payload);
  }

  private void same(WebEventParser f, ReferenceWebEventParser r, byte[] payload) {
    ParseResult expected = r.parse(payload);
    ParseResult actual = f.parse(payload);
    assertThat(actual)
        .as("payload %s", payload == null ? null : new String(payload, StandardCharsets.ISO_8859_1))
        .isEqualTo(expected);
    if (expected.isAccepted()) {
      accepted++;
    } else {
      rejected++;
    }
  }

  @Test
  void nullEmptyAndTrivialPayloads() {
    same(null);
    for (String s :
        new String[] {
          "", " ", "\n", "{}", "[]", "null", "1", "\"x\"", "{} {}", "{}x", "{} ", " {}\n", "{\"a\":1}",
          "{", "}", "{\"event_id\"", "\u0000{}", "{}\u0000", "\u0000\u0000\u0000{",
        }) {
      same(s.getBytes(StandardCharsets.UTF_8));
    }
    same(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
    same(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'});
    same(new byte[] {0, '{', 0, '}'});
    same(new byte[] {'{', 0, '}', 0});
    same(new byte[] {0, 0, 0, '{', 0, 0, 0, '}'});
  }

  @Test
  void malformedPayloads() {
    for (long seed = 1; seed <= 5; seed++) {
      MalformedPayloads gen = new MalformedPayloads(seed);
      for (MalformedPayload p : gen.oneOfEach()) {
        same(p.getPayload());
      }
      for (int i = 0; i < 1000; i++) {
        same(gen.next().getPayload());
      }
    }
    WebEventParser small = new WebEventParser(2048);
    ReferenceWebEventParser smallRef = new ReferenceWebEventParser(2048);
    MalformedPayloads gen = new MalformedPayloads(13, Instant.parse("2026-01-01T00:00:00Z"), 2048);
    for (MalformedPayload p : gen.oneOfEach()) {
      same(small, smallRef, p.getPayload());
    }
    assertThat(rejected).isGreaterThan(5000);
  }

  @Test
  void simulatedEvents() {
    SessionSimulator sim = new SessionSimulator(3, START);
    for (int i = 0; i < 20_000; i++) {
      same(WebEventJson.toBytes(sim.next()));
    }
    assertThat(accepted).isEqualTo(20_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Random mutations

  private static final String[] NUMBERS = {
    "0", "1", "-1", "-0", "2", "1.0", "1.00", "19.90", "-0.0", "0.5", "1e3", "1E3", "1e+3", "1.5e-3",
    "12345678901234567890", "-12345678901234567890", "123456789012345678901234567890123456789",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "1e400", "-1e400",
    "1e-400", "1.7976931348623157e308", "4.9e-324", "1e2147483648", "1e999999999999", "0.000",
    "100", "1798000000000", "1798000000000.0", "253402300800000", "-62135596800001",
    "-62135596800000", "01", "1.", ".5", "+1", "--1", "1e", "0x10", "NaN", "Infinity",
  };

  private static final String[] STRINGS = {
    "\"\"", "\"x\"", "\"h\u00e9llo \u2713 \ud83d\ude00\"", "\"\\u00e9\\ud83d\\ude00\"", "\"\\ud800\"",
    "\"\\udc00x\"", "\"\\u0001\\n\\t\\\"\\\\/\"", "\"\\/\"", "\"\\b\\f\\r\\u001f\\u0000\\u001F\\u007f\\u0080\"", "\"tab\there\"", "\"\\x\"", "\"abc",
    "\"mobile\"", "\"desktop\"", "\"tablet\"", "\"MOBILE\"", "\"FR\"", "\"fr\"", "\"XX\"", "\"FRA\"",
    "\"page_view\"", "\"purchase\"", "\"PAGE_VIEW\"", "\"\u2028\"", "\"\u007f\"",
    "\"" + "a".repeat(300) + "\"",
  };

  private static final String[] OTHERS = {
    "true", "false", "null", "[]", "{}", "[1,2.50,\"x\",null,{\"a\":[]}]",
    "{\"a\":{\"b\":[1,19.90,{\"c\":null}]},\"d\":\"\u00e9\",\"e\":1e3,\"f\":-0,\"g\":1e400}",
    "{\"a\":1,\"a\":2}", "{\"a\":{\"x\":1,\"x\":1}}", "[{\"a\":1,\"b\":{\"a\":2}}]", "{\"\":0}", "{\"q\\\"\\n\\u0002\":[\"\\r\"]}",
    "{\"k\":12345678901234567890123,\"l\":0.10,\"m\":1E-7}", "[[[[[[[[[[]]]]]]]]]]", "[1,]", "{,}",
    "{\"a\" 1}", "tru", "nul", "[\"\\ud83d\"]", "{\"\u00e9\u00e8\":\"\u00e0\"}",
  };

  private static final String[] KNOWN = WebEventContract.KNOWN_FIELDS.toArray(new String[0]);

  private static String pick(SplittableRandom r, String[] a) {
    return a[r.nextInt(a.length)];
  }

  private static String randomValue(SplittableRandom r, String field) {
    switch (r.nextInt(8)) {
      case 0:
      case 1:
        return pick(r, NUMBERS);
      case 2:
      case 3:
        return pick(r, STRINGS);
      case 4:
        return pick(r, OTHERS);
      case 5:
        return "\"" + TimestampDifferentialTest.randomTimestamp(r) + "\"";
      case 6:
        return "\"" + randomEventId(r) + "\"";
      default:
        return field.equals(WebEventContract.PROPERTIES) ? pick(r, OTHERS) : pick(r, STRINGS);
    }
  }

  static String randomEventId(SplittableRandom r) {
    String hex = "0123456789abcdefABCDEF";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 36; i++) {
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        sb.append('-');
      } else {
        sb.append(hex.charAt(r.nextInt(r.nextInt(4) == 0 ? hex.length() : 16)));
      }
    }
    switch (r.nextInt(10)) {
      case 0:
        sb.setCharAt(r.nextInt(36), "gG-xZ \u00e9\u0660".charAt(r.nextInt(8)));
        break;
      case 1:
        sb.deleteCharAt(r.nextInt(36));
        break;
      case 2:
        sb.insert(r.nextInt(37), '0');
        break;
      case 3:
        return "{" + sb + "}";
      case 4:
        return sb.toString().replace("-", "");
      default:
        break;
    }
    return sb.toString();
  }

  /** Field list of a valid event as (name, raw JSON text) pairs, via the serializer. */
  private static List<String[]> fieldsOf(WebEvent e) {
    com.fasterxml.jackson.databind.node.ObjectNode o =
        Json.parseObject(WebEventJson.toJson(e), "test");
    List<String[]> fields = new ArrayList<>();
    o.fields()
        .forEachRemaining(f -> fields.add(new String[] {f.getKey(), Json.compact(f.getValue())}));
    return fields;
  }

  private static String join(SplittableRandom r, List<String[]> fields) {
    StringBuilder sb = new StringBuilder(r.nextInt(10) == 0 ? " \n" : "").append('{');
    String ws = r.nextInt(5) == 0 ? " " : "";
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',').append(ws);
      }
      sb.append('"').append(fields.get(i)[0]).append("\":").append(ws).append(fields.get(i)[1]);
    }
    return sb.append('}').append(r.nextInt(10) == 0 ? "\n" : "").toString();
  }

  private static byte[] structuralMutation(SplittableRandom r, WebEvent e) {
    List<String[]> fields = fieldsOf(e);
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      switch (r.nextInt(7)) {
        case 0: // remove a field
          if (!fields.isEmpty()) {
            fields.remove(r.nextInt(fields.size()));
          }
          break;
        case 1: // change the value of a known field
          {
            String name = pick(r, KNOWN);
            String value = randomValue(r, name);
            boolean replaced = false;
            for (String[] f : fields) {
              if (f[0].equals(name)) {
                f[1] = value;
                replaced = true;
              }
            }
            if (!replaced) {
              fields.add(r.nextInt(fields.size() + 1), new String[] {name, value});
            }
            break;
          }
        case 2: // add an unknown field
          fields.add(
              r.nextInt(fields.size() + 1),
              new String[] {pick(r, new String[] {"x", "extra", "Event_Id", "\u00e9t\u00e9", "a b"}) + k,
                  randomValue(r, "x")});
          break;
        case 3: // duplicate a field
          if (!fields.isEmpty()) {
            String[] f = fields.get(r.nextInt(fields.size()));
            fields.add(r.nextInt(fields.size() + 1), new String[] {f[0], f[1]});
          }
          break;
        case 4: // swap two fields
          if (fields.size() > 1) {
            int a = r.nextInt(fields.size());
            int b = r.nextInt(fields.size());
            String[] t = fields.get(a);
            fields.set(a, fields.get(b));
            fields.set(b, t);
          }
          break;
        case 5: // set null
          if (!fields.isEmpty()) {
            fields.get(r.nextInt(fields.size()))[1] = "null";
          }
          break;
        default: // rich properties
          fields.removeIf(f -> f[0].equals(WebEventContract.PROPERTIES));
          fields.add(new String[] {WebEventContract.PROPERTIES,
              "{\"price\":19.90,\"qty\":" + pick(r, NUMBERS) + ",\"s\":" + pick(r, STRINGS)
                  + ",\"o\":" + pick(r, OTHERS) + "}"});
          break;
      }
    }
    return join(r, fields).getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[][] BAD_BYTES = {
    {(byte) 0xC3}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
    {0}, {'"'}, {'\\'}, {'{'}, {'}'}, {','}, {':'}, {'\n'}, {0x1f}, {(byte) 0x80},
  };

  private static byte[] byteMutation(SplittableRandom r, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8);
    switch (r.nextInt(5)) {
      case 0: // flip one byte
        {
          byte[] c = b.clone();
          if (c.length > 0) {
            c[r.nextInt(c.length)] = (byte) r.nextInt(256);
          }
          return c;
        }
      case 1: // truncate
        return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 2: // insert bytes
        {
          int at = r.nextInt(b.length + 1);
          out.write(b, 0, at);
          byte[] ins = BAD_BYTES[r.nextInt(BAD_BYTES.length)];
          out.write(ins, 0, ins.length);
          out.write(b, at, b.length - at);
          return out.toByteArray();
        }
      case 3: // remove a range
        {
          int at = r.nextInt(b.length + 1);
          int len = Math.min(b.length - at, 1 + r.nextInt(8));
          out.write(b, 0, at);
          out.write(b, at + len, b.length - at - len);
          return out.toByteArray();
        }
      default: // trailing or leading content
        {
          String[] extra = {" ", "x", "{}", "1", "\n\n", "]", "/* c */", "\u00e9"};
          byte[] e = pick(r, extra).getBytes(StandardCharsets.UTF_8);
          if (r.nextBoolean()) {
            out.write(b, 0, b.length);
            out.write(e, 0, e.length);
          } else {
            out.write(e, 0, e.length);
            out.write(b, 0, b.length);
          }
          return out.toByteArray();
        }
    }
  }

  @Test
  void randomMutationsOfValidPayloads() {
    SplittableRandom r = new SplittableRandom(20261122L);
    SessionSimulator sim = new SessionSimulator(9, START);
    for (int i = 0; i < 60_000; i++) {
      WebEvent e = sim.next();
      byte[] payload;
      switch (r.nextInt(3)) {
        case 0:
          payload = byteMutation(r, WebEventJson.toBytes(e));
          break;
        case 1:
          payload = structuralMutation(r, e);
          break;
        default:
          payload = byteMutation(r, structuralMutation(r, e));
          break;
      }
      same(payload);
    }
    // Both outcomes must be well represented for the comparison to mean something.
    assertThat(accepted).isGreaterThan(5_000);
    assertThat(rejected).isGreaterThan(20_000);
  }

  @Test
  void timestampsInManyFormsThroughTheWholeParser() {
    SplittableRandom r = new SplittableRandom(7);
    SessionSimulator sim = new SessionSimulator(10, START);
    for (int i = 0; i < 20_000; i++) {
      List<String[]> fields = fieldsOf(sim.next());
      for (String[] f : fields) {
        if (f[0].equals(WebEventContract.EVENT_TIMESTAMP)) {
          f[1] = "\"" + TimestampDifferentialTest.randomTimestamp(r) + "\"";
        }
      }
      same(join(r, fields).getBytes(StandardCharsets.UTF_8));
    }
    assertThat(accepted).isGreaterThan(2_000);
    assertThat(rejected).isGreaterThan(2_000);
  }

  @Test
  void compactTextOfPropertiesAndExtrasIsIdentical() {
    String base =
        "{\"event_id\":\"0A1B2C3D-4E5F-6789-ABCD-EF0123456789\",\"event_type\":\"page_view\","
            + "\"event_timestamp\":\"2024-02-29T23:59:59.5-01:30\",";
    String[] tails = {
      "\"properties\":{\"price\":19.90,\"n\":1e3,\"z\":-0,\"zf\":-0.0,\"big\":123456789012345678901234567890,"
          + "\"inf\":1e400,\"ninf\":-1e400,\"tiny\":1e-400,\"s\":\"\\b\\f\\r\\n\\t\\u0001\\u001f\\\"\\\\\\/\u00e9\\ud83d\\ude00\","
          + "\"a\":[1,2.50,{\"k\\n\":null},[],{}],\"t\":true,\"f\":false}}",
      "\"x\":1.0,\"y\":[\"\\u2028\",{\"\\\"q\":1E+2}],\"properties\":null,\"z\":{}}",
      "\"\u00e9\":\"\u00e8\",\"properties\":{},\"w\":null}",
    };
    for (String t : tails) {
      byte[] payload = (base + t).getBytes(StandardCharsets.UTF_8);
      assertThat(fast.parse(payload).isAccepted()).as(base + t).isTrue();
      same(payload);
    }
  }

  @Test
  void formatterPathStillAgreesWithDirectParse() {
    // Sanity: the oracle's timestamp rule is the JDK formatter.
    String t = "2026-11-22T10:15:30.123+02:00";
    assertThat(ReferenceWebEventParser.parseTimestampWithFormatter(t))
        .isEqualTo(OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
  }
}
