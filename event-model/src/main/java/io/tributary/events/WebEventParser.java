package io.tributary.events;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Parses raw payloads into {@link WebEvent}s under contract version 1.
 *
 * <p>Contract of {@link #parse(byte[])}: it never throws on bad input (including {@code null});
 * every payload yields either an accepted event or a {@link Rejection} with a stable {@link
 * RejectReason}. Checks run in this order and the first failure wins: size (before any parsing),
 * strict UTF-8, JSON syntax (duplicate keys and trailing content are errors), top-level object,
 * unpaired surrogates in any string ({@link RejectReason#INVALID_UNICODE}), then fields in the
 * order {@code schema_version, event_id, event_type, event_timestamp, user_id, session_id,
 * page_url, referrer, user_agent, device, country, order_id, properties}. Unknown top-level fields
 * are kept, in input order, in {@link WebEvent#getExtraFields()}.
 *
 * <p>Instances are immutable and thread-safe; create one and reuse it.
 *
 * <p>Implementation: the hot path reads the bytes once with Jackson's streaming parser (the whole
 * document is read before any contract check, so JSON errors always win over contract errors),
 * skips the UTF-8 decoder for pure-ASCII payloads, and writes {@code properties}/extra fields as
 * compact text with every number as written. Strings are checked for unpaired surrogates only in
 * payloads that hold an escaped surrogate at all ({@link SurrogateEscapes#mayHold}). Payloads that
 * are not a single well-formed JSON object take the character-based tree path, which words those
 * rejections (Jackson message, line and column), except the syntax errors the byte parser words
 * identically (see {@code readStreaming}); a well-formed object found there is read by the same
 * field reader from the chars. {@code WebEventParserEquivalenceTest} checks all of this against
 * the reference implementation.
 */
public final class WebEventParser {
  private static final int MAX_DETAIL_CHARS = 200;

  private final int maxPayloadBytes;

  /** A parser with the default size limit of {@value WebEventContract#DEFAULT_MAX_PAYLOAD_BYTES} bytes. */
  public WebEventParser() {
    this(WebEventContract.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  /**
   * @param maxPayloadBytes largest accepted payload, in bytes; larger payloads are rejected with
   *     {@link RejectReason#PAYLOAD_TOO_LARGE} without being parsed
   */
  public WebEventParser(int maxPayloadBytes) {
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
    // Utf8.isValid steps over ASCII eight bytes at a time: the common, all-ASCII payload costs
    // a fraction of a byte-wise scan.
    if (!Utf8.isValid(payload)) {
      return ParseResult.rejected(RejectReason.NOT_JSON, null, "payload: is not valid UTF-8");
    }
    if (payload.length >= 3
        && (payload[0] & 0xff) == 0xEF
        && (payload[1] & 0xff) == 0xBB
        && (payload[2] & 0xff) == 0xBF) {
      return ParseResult.rejected(RejectReason.NOT_JSON, null, "payload: starts with a byte order mark");
    }
    Fields fields;
    try {
      fields = readStreaming(payload);
    } catch (ContractViolation syntaxError) {
      return ParseResult.rejected(syntaxError.toRejection());
    }
    if (fields == null) {
      // Not a plain well-formed object (not an object at all, cut off, not ASCII, ...): rare, and
      // the exact rejection (Jackson message, line/column counted in chars) comes from the
      // character-based tree parser, so take that path.
      return parseWithTree(payload);
    }
    return check(fields);
  }

  // ---------------------------------------------------------------------------------------------
  // Collected document: per known field its token kind and value, plus properties/extras as text.

  private static final byte ABSENT = 0;
  private static final byte NULL = 1;
  private static final byte STRING = 2;
  private static final byte INT = 3; // value: Integer, Long or BigInteger (as the tree's nodes)
  private static final byte FLOAT = 4; // value: BigDecimal, or Double (see readFloat)
  private static final byte TRUE = 5;
  private static final byte FALSE = 6;
  private static final byte OBJECT = 7; // value: compact JSON text (properties only)
  private static final byte ARRAY = 8;

  private static final int I_SCHEMA_VERSION = 0;
  private static final int I_EVENT_ID = 1;
  private static final int I_EVENT_TYPE = 2;
  private static final int I_EVENT_TIMESTAMP = 3;
  private static final int I_USER_ID = 4;
  private static final int I_SESSION_ID = 5;
  private static final int I_PAGE_URL = 6;
  private static final int I_REFERRER = 7;
  private static final int I_USER_AGENT = 8;
  private static final int I_DEVICE = 9;
  private static final int I_COUNTRY = 10;
  private static final int I_ORDER_ID = 11;
  private static final int I_PROPERTIES = 12;

  private static final class Fields {
    final byte[] kind = new byte[13];
    final Object[] value = new Object[13];
    String extras;
    /** The first top-level field, in document order, that holds an unpaired surrogate; or null. */
    String unpairedIn;

    void noteUnpaired(boolean unpaired, String field) {
      if (unpaired && unpairedIn == null) {
        unpairedIn = field;
      }
    }
  }

  /** Index of a known field in {@link WebEventContract#KNOWN_FIELDS}, or -1. */
  private static int knownIndex(String name) {
    switch (name) {
      case WebEventContract.SCHEMA_VERSION_FIELD:
        return I_SCHEMA_VERSION;
      case WebEventContract.EVENT_ID:
        return I_EVENT_ID;
      case WebEventContract.EVENT_TYPE:
        return I_EVENT_TYPE;
      case WebEventContract.EVENT_TIMESTAMP:
        return I_EVENT_TIMESTAMP;
      case WebEventContract.USER_ID:
        return I_USER_ID;
      case WebEventContract.SESSION_ID:
        return I_SESSION_ID;
      case WebEventContract.PAGE_URL:
        return I_PAGE_URL;
      case WebEventContract.REFERRER:
        return I_REFERRER;
      case WebEventContract.USER_AGENT:
        return I_USER_AGENT;
      case WebEventContract.DEVICE:
        return I_DEVICE;
      case WebEventContract.COUNTRY:
        return I_COUNTRY;
      case WebEventContract.ORDER_ID:
        return I_ORDER_ID;
      case WebEventContract.PROPERTIES:
        return I_PROPERTIES;
      default:
        return -1;
    }
  }

  /**
   * Jackson's wording for content after the root value (DeserializationContext#reportTrailingTokens
   * with a JsonNode target), so that the streaming path words it as the tree path does.
   * WebEventParserEquivalenceTest pins it against the tree parser.
   */
  private static final String TRAILING_TOKEN =
      "Trailing token (of type %s) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): "
          + "not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`";

  /**
   * Reads the whole document with the streaming parser (so syntax errors, duplicate keys and
   * trailing content anywhere are found before any contract check). Returns null when the payload
   * is not exactly one well-formed JSON object and its rejection must come from the tree path, or
   * on any other surprise.
   *
   * @throws ContractViolation NOT_JSON for trailing content or a {@linkplain #wordedAlike
   *     commonly worded} syntax error in a pure-ASCII payload: there, bytes are chars, so the byte
   *     parser's message and line/column are the tree parser's, and one Jackson exception is
   *     enough (each fills a stack trace, costly at Flink's call depth)
   */
  private static Fields readStreaming(byte[] payload) {
    // Jackson's byte bootstrapper guesses UTF-16/32 from zero bytes among the first four; the
    // tree path decodes as UTF-8 only, so leave such payloads to it.
    for (int i = 0, n = Math.min(4, payload.length); i < n; i++) {
      if (payload[i] == 0) {
        return null;
      }
    }
    // Not an object at all (CSV, a bare value, garbage), or cut off before its closing brace (a
    // truncated record): the tree path words these (a bare value is NOT_AN_OBJECT, and the byte
    // parser words an end of input differently), so the streaming parser's exception would be
    // wasted.
    if (!startsWithBrace(payload) || !endsWithBrace(payload)) {
      return null;
    }
    try (JsonParser p = Json.MAPPER.getFactory().createParser(payload)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields f = collect(p, SurrogateEscapes.mayHold(payload));
      if (f == null) {
        return null;
      }
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        if (!Utf8.isAscii(payload)) {
          return null;
        }
        throw syntaxError(String.format(TRAILING_TOKEN, trailing), p.currentTokenLocation());
      }
      return f;
    } catch (JsonProcessingException e) {
      if (!wordedAlike(e) || !Utf8.isAscii(payload)) {
        return null;
      }
      throw new ContractViolation(RejectReason.NOT_JSON, null, "payload: " + describe(e));
    } catch (ContractViolation e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads the fields of the object whose START_OBJECT is the current token, up to its END_OBJECT.
   * Returns null on a token no well-formed object holds there.
   *
   * @param checkSurrogates whether strings may hold unpaired surrogates and need checking
   */
  private static Fields collect(JsonParser p, boolean checkSurrogates) throws IOException {
    Fields f = new Fields();
    StringBuilder extras = null;
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      int i = knownIndex(name);
      if (i < 0) {
        if (extras == null) {
          extras = new StringBuilder(64).append('{');
        }
        CompactJson.fieldName(extras, name);
        boolean unpaired = CompactJson.copy(p, t, extras, checkSurrogates)
            || checkSurrogates && SurrogateEscapes.hasUnpaired(name);
        f.noteUnpaired(unpaired, WebEventContract.EXTRA_FIELDS);
        continue;
      }
      switch (t) {
        case VALUE_STRING:
          f.kind[i] = STRING;
          f.value[i] = p.getText();
          f.noteUnpaired(checkSurrogates && SurrogateEscapes.hasUnpaired((String) f.value[i]), name);
          break;
        case VALUE_NUMBER_INT:
          f.kind[i] = INT;
          f.value[i] = CompactJson.readInt(p);
          break;
        case VALUE_NUMBER_FLOAT:
          f.kind[i] = FLOAT;
          f.value[i] = CompactJson.readFloat(p);
          break;
        case VALUE_TRUE:
          f.kind[i] = TRUE;
          break;
        case VALUE_FALSE:
          f.kind[i] = FALSE;
          break;
        case VALUE_NULL:
          f.kind[i] = NULL;
          break;
        case START_OBJECT:
          f.kind[i] = OBJECT;
          StringBuilder out = i == I_PROPERTIES ? new StringBuilder(128) : null;
          f.noteUnpaired(CompactJson.copy(p, t, out, checkSurrogates), name);
          if (out != null) {
            f.value[i] = out.toString();
          }
          break;
        case START_ARRAY:
          f.kind[i] = ARRAY;
          f.noteUnpaired(CompactJson.copy(p, t, null, checkSurrogates), name);
          break;
        default:
          return null;
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      return null;
    }
    if (extras != null) {
      f.extras = extras.append('}').toString();
    }
    return f;
  }

  /**
   * Syntax errors that Jackson's byte parser words and locates exactly as its char parser (the
   * tree path's) does on ASCII input: a duplicate key and a key not in double quotes, the common
   * ones in producers' bugs. Others (an early end of input, a bad number, ...) differ in wording or
   * by a column, so they take the tree path. WebEventParserEquivalenceTest checks this.
   */
  private static boolean wordedAlike(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    return m != null
        && (m.startsWith("Duplicate field '") || m.endsWith("was expecting double-quote to start field name"));
  }

  private static ContractViolation syntaxError(String message, JsonLocation location) {
    return new ContractViolation(RejectReason.NOT_JSON, null, "payload: " + describe(message, location));
  }

  /** Whether the first byte that is not JSON whitespace is '{'. */
  private static boolean startsWithBrace(byte[] payload) {
    for (byte b : payload) {
      if (!isJsonWhitespace(b)) {
        return b == '{';
      }
    }
    return false;
  }

  /** Whether the last byte that is not JSON whitespace is '}', as in every well-formed object. */
  private static boolean endsWithBrace(byte[] payload) {
    for (int i = payload.length - 1; i >= 0; i--) {
      if (!isJsonWhitespace(payload[i])) {
        return payload[i] == '}';
      }
    }
    return false;
  }

  private static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  /** @param payload valid UTF-8 without a byte order mark: {@link #parse} rejected the others */
  private static ParseResult parseWithTree(byte[] payload) {
    String text = new String(payload, StandardCharsets.UTF_8);
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
    // A well-formed object: read its fields as the streaming path does, from the chars.
    try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
      p.nextToken();
      Fields f = collect(p, true);
      if (f == null) {
        throw new IllegalStateException("the tree parser accepted an object the streaming parser cannot read");
      }
      return check(f);
    } catch (IOException e) {
      throw new IllegalStateException("re-reading a well-formed object failed", e);
    }
  }

  private static String typeName(JsonNode node) {
    switch (node.getNodeType()) {
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
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Contract checks, in contract order; the first failure wins.

  private static ParseResult check(Fields f) {
    try {
      return ParseResult.accepted(toEvent(f));
    } catch (ContractViolation v) {
      return ParseResult.rejected(v.toRejection());
    }
  }

  private static WebEvent toEvent(Fields f) {
    if (f.unpairedIn != null) {
      throw new ContractViolation(
          RejectReason.INVALID_UNICODE,
          f.unpairedIn,
          f.unpairedIn + ": a string holds an escaped unpaired surrogate (such as \\ud800), which is not a"
              + " Unicode character: strict UTF-8 cannot store it");
    }
    checkSchemaVersion(f);
    WebEvent.Builder b = WebEvent.builder();
    b.eventId(WebEventContract.checkEventId(string(f, I_EVENT_ID)));
    b.eventType(WebEventContract.checkEventType(string(f, I_EVENT_TYPE)));
    b.eventTimestamp(timestamp(f));
    b.userId(string(f, I_USER_ID));
    b.sessionId(string(f, I_SESSION_ID));
    b.pageUrl(string(f, I_PAGE_URL));
    b.referrer(string(f, I_REFERRER));
    b.userAgent(string(f, I_USER_AGENT));
    b.device(WebEventContract.checkDevice(string(f, I_DEVICE)));
    b.country(WebEventContract.checkCountry(string(f, I_COUNTRY)));
    b.orderId(string(f, I_ORDER_ID));
    byte props = f.kind[I_PROPERTIES];
    if (props != ABSENT && props != NULL) {
      if (props != OBJECT) {
        throw wrongType(f, I_PROPERTIES, "a JSON object");
      }
      b.properties((String) f.value[I_PROPERTIES]);
    }
    if (f.extras != null) {
      b.extraFields(f.extras);
    }
    return b.buildTrusted();
  }

  private static void checkSchemaVersion(Fields f) {
    String name = WebEventContract.SCHEMA_VERSION_FIELD;
    byte kind = f.kind[I_SCHEMA_VERSION];
    if (kind == ABSENT || kind == NULL) {
      return; // defaults to the current version
    }
    if (kind != INT) {
      throw wrongType(f, I_SCHEMA_VERSION, "an integer");
    }
    Number n = (Number) f.value[I_SCHEMA_VERSION];
    if (!fitsInt(n) || n.intValue() != WebEventContract.SCHEMA_VERSION) {
      throw new ContractViolation(
          RejectReason.UNSUPPORTED_SCHEMA_VERSION,
          name,
          name + ": " + WebEventContract.excerpt(n.toString()) + " is not supported (supported: "
              + WebEventContract.SCHEMA_VERSION + ")");
    }
  }

  /** A nullable string field; absent and null both give null. Required-ness is checked by callers. */
  private static String string(Fields f, int i) {
    byte kind = f.kind[i];
    if (kind == ABSENT || kind == NULL) {
      return null;
    }
    if (kind != STRING) {
      throw wrongType(f, i, "a string");
    }
    return (String) f.value[i];
  }

  private static Instant timestamp(Fields f) {
    String name = WebEventContract.EVENT_TIMESTAMP;
    byte kind = f.kind[I_EVENT_TIMESTAMP];
    Object v = f.value[I_EVENT_TIMESTAMP];
    switch (kind) {
      case ABSENT:
      case NULL:
        throw WebEventContract.missing(name);
      case STRING:
        return WebEventContract.parseTimestamp((String) v);
      case INT:
        if (!fitsLong((Number) v)) {
          throw new ContractViolation(
              RejectReason.BAD_TIMESTAMP,
              name,
              name + ": " + WebEventContract.excerpt(v.toString()) + " does not fit epoch millis");
        }
        return WebEventContract.fromEpochMillis(((Number) v).longValue());
      case FLOAT:
        throw new ContractViolation(
            RejectReason.BAD_TIMESTAMP,
            name,
            name + ": " + WebEventContract.excerpt(v.toString())
                + " is not ISO-8601 with a zone nor epoch millis (epoch millis must be an integer)");
      default:
        throw wrongType(f, I_EVENT_TIMESTAMP, "an ISO-8601 string or an integer");
    }
  }

  // Integer/Long/BigInteger/BigDecimal/Double toString() equal the tree nodes' asText().

  private static boolean fitsInt(Number n) {
    if (n instanceof Integer) {
      return true;
    }
    if (n instanceof Long) {
      return n.longValue() >= Integer.MIN_VALUE && n.longValue() <= Integer.MAX_VALUE;
    }
    return ((BigInteger) n).bitLength() < 32;
  }

  private static boolean fitsLong(Number n) {
    if (n instanceof Integer || n instanceof Long) {
      return true;
    }
    return ((BigInteger) n).bitLength() < 64;
  }

  private static ContractViolation wrongType(Fields f, int i, String expected) {
    String field = WebEventContract.KNOWN_FIELDS.get(i);
    return new ContractViolation(
        RejectReason.WRONG_TYPE, field, field + ": expected " + expected + ", got " + typeName(f, i));
  }

  private static String typeName(Fields f, int i) {
    Object v = f.value[i];
    switch (f.kind[i]) {
      case ARRAY:
        return "array";
      case OBJECT:
        return "object";
      case TRUE:
        return "boolean true";
      case FALSE:
        return "boolean false";
      case INT:
      case FLOAT:
        return "number " + WebEventContract.excerpt(v.toString());
      case STRING:
        return "string " + WebEventContract.quote((String) v);
      default:
        return "null";
    }
  }

  private static String describe(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    return describe(msg == null ? e.getClass().getSimpleName() : msg, e.getLocation());
  }

  private static String describe(String message, JsonLocation loc) {
    String msg = message.replace('\n', ' ').replace('\r', ' ');
    String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    return clip(msg) + where;
  }

  private static String clip(String s) {
    return s.length() <= MAX_DETAIL_CHARS ? s : s.substring(0, MAX_DETAIL_CHARS) + "...";
  }
}
