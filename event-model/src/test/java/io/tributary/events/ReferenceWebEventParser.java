package io.tributary.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * TEST-ONLY REFERENCE ORACLE: the pre-optimisation implementation of {@link WebEventParser}
 * (strict JDK UTF-8 decode to a String, Jackson tree model, regex for {@code event_id}, {@code
 * OffsetDateTime.parse} for timestamps), kept so that {@code WebEventParserEquivalenceTest} can
 * check that the optimised streaming parser yields identical {@link ParseResult}s. Do not optimise
 * or "fix" this class: its only job is to be the old behaviour, plus two later contract rules,
 * written here independently of the parser: {@link RejectReason#INVALID_UNICODE} (a walk of the
 * tree) and JSON kept as text with its numbers as written (Jackson's generator over a second read
 * of the text, see {@link #storedText}).
 */
final class ReferenceWebEventParser {
  private static final int MAX_DETAIL_CHARS = 200;

  private final int maxPayloadBytes;

  /** A parser with the default size limit of {@value WebEventContract#DEFAULT_MAX_PAYLOAD_BYTES} bytes. */
  ReferenceWebEventParser() {
    this(WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * @param maxPayloadBytes largest accepted payload, in bytes; larger payloads are rejected with
   *     {@link RejectReason#PAYLOAD_TOO_LARGE} without being parsed
   */
  ReferenceWebEventParser(int maxPayloadBytes) {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
    }
    this.maxPayloadBytes = maxPayloadBytes;
  }

  public int getMaxPayloadBytes() {
    return maxPayloadBytes;
  }

  /** Parses one payload; see the class comment for the contract. Never throws on bad input. */
  public ParseResult parse(byte[] payload) {
    if (payload == null) {
      return ParseResult.rejected(RejectReason.NOT_JSON, null, "payload: is null");
    }
    if (payload.length > maxPayloadBytes) {
      return ParseResult.rejected(
          RejectReason.PAYLOAD_TOO_LARGE,
          null,
          "payload: " + payload.length + " bytes exceeds the limit of " + maxPayloadBytes + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload))
              .toString();
    } catch (CharacterCodingException e) {
      return ParseResult.rejected(RejectReason.NOT_JSON, null, "payload: is not valid UTF-8");
    }
    if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
      return ParseResult.rejected(
          RejectReason.NOT_JSON, null, "payload: starts with a byte order mark");
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return ParseResult.rejected(RejectReason.NOT_JSON, null, "payload: " + describe(e));
    } catch (RuntimeException e) {
      // Defensive: Jackson should only throw JsonProcessingException on bad input.
      return ParseResult.rejected(
          RejectReason.NOT_JSON, null, clip("payload: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
    if (root == null || root.isMissingNode()) {
      return ParseResult.rejected(RejectReason.NOT_JSON, null, "payload: is empty");
    }
    if (!root.isObject()) {
      return ParseResult.rejected(
          RejectReason.NOT_AN_OBJECT,
          null,
          "payload: expected a JSON object, got " + typeName(root));
    }
    try {
      checkUnicode((ObjectNode) root);
      return ParseResult.accepted(toEvent((ObjectNode) root, storedText(text)));
    } catch (ContractViolation v) {
      return ParseResult.rejected(v.toRejection());
    }
  }

  /** INVALID_UNICODE for the first top-level field, in document order, holding an unpaired surrogate. */
  private static void checkUnicode(ObjectNode root) {
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (unpaired(field.getKey()) || holdsUnpaired(field.getValue())) {
        String name = WebEventContract.isKnownField(field.getKey()) ? field.getKey() : WebEventContract.EXTRA_FIELDS;
        throw new ContractViolation(
            RejectReason.INVALID_UNICODE,
            name,
            name + ": a string holds an escaped unpaired surrogate (such as \\ud800), which is not a"
                + " Unicode character: strict UTF-8 cannot store it");
      }
    }
  }

  private static boolean holdsUnpaired(JsonNode node) {
    if (node.isTextual()) {
      return unpaired(node.textValue());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (unpaired(field.getKey()) || holdsUnpaired(field.getValue())) {
        return true;
      }
    }
    if (node.isArray()) {
      for (JsonNode element : node) {
        if (holdsUnpaired(element)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean unpaired(String s) {
    // A well-formed string round-trips through UTF-8 unchanged; an unpaired surrogate becomes '?'.
    return !new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(s);
  }

  /**
   * The compact text of {@code properties} (if an object) and of the unknown top-level fields (as
   * one object, null if none), numbers as written: Jackson's generator, fed from a second read of
   * the text, with each number token written as its text.
   */
  private static String[] storedText(String text) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
      String properties = null;
      StringWriter extras = new StringWriter();
      boolean anyExtra = false;
      try (JsonGenerator eg = Json.MAPPER.getFactory().createGenerator(extras)) {
        eg.writeStartObject();
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if (name.equals(WebEventContract.PROPERTIES) && p.currentToken() == JsonToken.START_OBJECT) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w)) {
              copyExact(p, g);
            }
            properties = w.toString();
          } else if (!WebEventContract.isKnownField(name)) {
            eg.writeFieldName(name);
            copyExact(p, eg);
            anyExtra = true;
          } else {
            p.skipChildren();
          }
        }
        eg.writeEndObject();
      }
      return new String[] {properties, anyExtra ? extras.toString() : null};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyExact(JsonParser p, JsonGenerator g) throws IOException {
    int depth = 0;
    do {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        g.writeNumber(p.getText());
      } else {
        g.copyCurrentEvent(p);
      }
      if (t.isStructStart()) {
        depth++;
      } else if (t.isStructEnd()) {
        depth--;
      }
    } while (depth > 0 && p.nextToken() != null);
  }

  private static WebEvent toEvent(ObjectNode root, String[] storedText) {
    checkSchemaVersion(root.get(WebEventContract.SCHEMA_VERSION_FIELD));
    WebEvent.Builder b = WebEvent.builder();
    b.eventId(checkEventIdRegex(string(root, WebEventContract.EVENT_ID)));
    b.eventType(WebEventContract.checkEventType(string(root, WebEventContract.EVENT_TYPE)));
    b.eventTimestamp(timestamp(root.get(WebEventContract.EVENT_TIMESTAMP)));
    b.userId(string(root, WebEventContract.USER_ID));
    b.sessionId(string(root, WebEventContract.SESSION_ID));
    b.pageUrl(string(root, WebEventContract.PAGE_URL));
    b.referrer(string(root, WebEventContract.REFERRER));
    b.userAgent(string(root, WebEventContract.USER_AGENT));
    b.device(WebEventContract.checkDevice(string(root, WebEventContract.DEVICE)));
    b.country(WebEventContract.checkCountry(string(root, WebEventContract.COUNTRY)));
    b.orderId(string(root, WebEventContract.ORDER_ID));
    JsonNode props = root.get(WebEventContract.PROPERTIES);
    if (props != null && !props.isNull()) {
      if (!props.isObject()) {
        throw wrongType(WebEventContract.PROPERTIES, "a JSON object", props);
      }
      b.properties(storedText[0]);
    }
    if (storedText[1] != null) {
      b.extraFields(storedText[1]);
    }
    return b.buildTrusted();
  }

  private static void checkSchemaVersion(JsonNode node) {
    String f = WebEventContract.SCHEMA_VERSION_FIELD;
    if (node == null || node.isNull()) {
      return; // defaults to the current version
    }
    if (!node.isIntegralNumber()) {
      throw wrongType(f, "an integer", node);
    }
    if (!node.canConvertToInt() || node.intValue() != WebEventContract.SCHEMA_VERSION) {
      throw new ContractViolation(
          RejectReason.UNSUPPORTED_SCHEMA_VERSION,
          f,
          f + ": " + WebEventContract.excerpt(node.asText()) + " is not supported (supported: "
              + WebEventContract.SCHEMA_VERSION + ")");
    }
  }

  /** A nullable string field; absent and null both give null. Required-ness is checked by callers. */
  private static String string(ObjectNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw wrongType(field, "a string", node);
    }
    return node.textValue();
  }

  private static Instant timestamp(JsonNode node) {
    String f = WebEventContract.EVENT_TIMESTAMP;
    if (node == null || node.isNull()) {
      throw WebEventContract.missing(f);
    }
    if (node.isTextual()) {
      return parseTimestampWithFormatter(node.textValue());
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new ContractViolation(
            RejectReason.BAD_TIMESTAMP,
            f,
            f + ": " + WebEventContract.excerpt(node.asText()) + " does not fit epoch millis");
      }
      return WebEventContract.fromEpochMillis(node.longValue());
    }
    if (node.isNumber()) {
      throw new ContractViolation(
          RejectReason.BAD_TIMESTAMP,
          f,
          f + ": " + WebEventContract.excerpt(node.asText())
              + " is not ISO-8601 with a zone nor epoch millis (epoch millis must be an integer)");
    }
    throw wrongType(f, "an ISO-8601 string or an integer", node);
  }

  private static ContractViolation wrongType(String field, String expected, JsonNode got) {
    return new ContractViolation(
        RejectReason.WRONG_TYPE, field, field + ": expected " + expected + ", got " + typeName(got));
  }

  private static String typeName(JsonNode node) {
    JsonNodeType type = node.getNodeType();
    switch (type) {
      case ARRAY:
        return "array";
      case OBJECT:
        return "object";
      case BOOLEAN:
        return "boolean " + node.asText();
      case NUMBER:
        return "number " + WebEventContract.excerpt(node.asText());
      case STRING:
        return "string " + WebEventContract.quote(node.textValue());
      case NULL:
        return "null";
      default:
        return type.name().toLowerCase(Locale.ROOT);
    }
  }

  private static String describe(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    if (msg == null) {
      msg = e.getClass().getSimpleName();
    }
    msg = msg.replace('\n', ' ').replace('\r', ' ');
    JsonLocation loc = e.getLocation();
    String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    return clip(msg) + where;
  }

  private static String clip(String s) {
    return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "...";
  }

  // --- verbatim copies of the pre-optimisation WebEventContract helpers ---

  private static final java.util.regex.Pattern UUID =
      java.util.regex.Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final int MAX_TIMESTAMP_CHARS = 64;

  static String checkEventIdRegex(String value) {
    String f = WebEventContract.EVENT_ID;
    if (value == null) {
      throw WebEventContract.missing(f);
    }
    if (!UUID.matcher(value).matches()) {
      throw new ContractViolation(
          RejectReason.INVALID_VALUE,
          f,
          f + ": " + WebEventContract.quote(value) + " is not a UUID (8-4-4-4-12 hex digits)");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  static Instant parseTimestampWithFormatter(String text) {
    String f = WebEventContract.EVENT_TIMESTAMP;
    if (text.length() <= MAX_TIMESTAMP_CHARS) {
      try {
        return WebEventContract.checkTimestampRange(
            java.time.OffsetDateTime.parse(text, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant(),
            text);
      } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
        // fall through to the rejection below
      }
    }
    throw new ContractViolation(
        RejectReason.BAD_TIMESTAMP,
        f,
        f + ": " + WebEventContract.quote(text) + " is not ISO-8601 with a zone nor epoch millis");
  }
}
