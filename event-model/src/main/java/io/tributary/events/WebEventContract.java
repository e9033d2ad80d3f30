package io.tributary.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Constants and value rules of the web event contract, version 1. The parser and the
 * {@link WebEvent} builder share these rules, so an event that can be built can always be
 * serialized and parsed back.
 */
public final class WebEventContract {

  /** The only supported {@code schema_version}; also the default when the field is absent. */
  public static final int SCHEMA_VERSION = 1;

  /** Default maximum payload size accepted by {@link WebEventParser}: 64 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Classpath location of the JSON Schema (draft 2020-12) of version 1. */
  public static final String SCHEMA_RESOURCE = "/io/tributary/events/web-event-v1.schema.json";

  public static final String SCHEMA_VERSION_FIELD = "schema_version";
  public static final String EVENT_ID = "event_id";
  public static final String EVENT_TYPE = "event_type";
  public static final String EVENT_TIMESTAMP = "event_timestamp";
  public static final String USER_ID = "user_id";
  public static final String SESSION_ID = "session_id";
  public static final String PAGE_URL = "page_url";
  public static final String REFERRER = "referrer";
  public static final String USER_AGENT = "user_agent";
  public static final String DEVICE = "device";
  public static final String COUNTRY = "country";
  public static final String ORDER_ID = "order_id";
  public static final String PROPERTIES = "properties";

  /** Name of the column/field that holds unknown top-level input fields (it is not an input field itself). */
  public static final String EXTRA_FIELDS = "extra_fields";

  /** All known top-level input fields of version 1, in serialization order. */
  public static final List<String> KNOWN_FIELDS =
      Collections.unmodifiableList(
          Arrays.asList(
              SCHEMA_VERSION_FIELD, EVENT_ID, EVENT_TYPE, EVENT_TIMESTAMP, USER_ID, SESSION_ID,
              PAGE_URL, REFERRER, USER_AGENT, DEVICE, COUNTRY, ORDER_ID, PROPERTIES));

  private static final Set<String> KNOWN_FIELD_SET = new HashSet<>(KNOWN_FIELDS);

  /** Earliest accepted event time (inclusive). */
  public static final Instant MIN_TIMESTAMP = Instant.parse("0001-01-01T00:00:00Z");

  /** Latest accepted event time (inclusive). */
  public static final Instant MAX_TIMESTAMP = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private static final Pattern UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final Set<String> COUNTRIES =
      Collections.unmodifiableSet(new HashSet<>(Arrays.asList(Locale.getISOCountries())));

  private static final int EXCERPT_CHARS = 40;
  private static final int MAX_TIMESTAMP_CHARS = 64;

  private WebEventContract() {}

  /** True if {@code name} is a known top-level field of version 1. */
  public static boolean isKnownField(String name) {
    return KNOWN_FIELD_SET.contains(name);
  }

  /**
   * Validates an {@code event_id}: a UUID in canonical 8-4-4-4-12 hex form (any case, any version).
   *
   * @return the id in lower case
   */
  static String checkEventId(String value) {
    if (value == null) {
      throw missing(EVENT_ID);
    }
    if (!UUID.matcher(value).matches()) {
      throw new ContractViolation(
          RejectReason.INVALID_VALUE,
          EVENT_ID,
          EVENT_ID + ": " + quote(value) + " is not a UUID (8-4-4-4-12 hex digits)");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  static EventType checkEventType(String value) {
    if (value == null) {
      throw missing(EVENT_TYPE);
    }
    EventType type = EventType.fromWireName(value);
    if (type == null) {
      throw new ContractViolation(
          RejectReason.INVALID_VALUE,
          EVENT_TYPE,
          EVENT_TYPE + ": " + quote(value) + " is not one of " + wireNames(EventType.values()));
    }
    return type;
  }

  static Device checkDevice(String value) {
    if (value == null) {
      return null;
    }
    Device device = Device.fromWireName(value);
    if (device == null) {
      throw new ContractViolation(
          RejectReason.INVALID_VALUE,
          DEVICE,
          DEVICE + ": " + quote(value) + " is not one of " + wireNames(Device.values()));
    }
    return device;
  }

  /** Validates a country: an upper-case ISO 3166-1 alpha-2 code known to the JDK. */
  static String checkCountry(String value) {
    if (value == null) {
      return null;
    }
    if (value.length() != 2 || !COUNTRIES.contains(value)) {
      throw new ContractViolation(
          RejectReason.INVALID_VALUE,
          COUNTRY,
          COUNTRY + ": " + quote(value) + " is not an upper-case ISO 3166-1 alpha-2 code");
    }
    return value;
  }

  /** Parses an ISO-8601 timestamp text with a mandatory zone offset ({@code Z} or {@code +HH:MM}). */
  static Instant parseTimestamp(String text) {
    if (text.length() <= MAX_TIMESTAMP_CHARS) {
      try {
        return checkTimestampRange(
            OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), text);
      } catch (DateTimeParseException | ArithmeticException e) {
        // fall through to the rejection below
      }
    }
    throw new ContractViolation(
        RejectReason.BAD_TIMESTAMP,
        EVENT_TIMESTAMP,
        EVENT_TIMESTAMP + ": " + quote(text) + " is not ISO-8601 with a zone nor epoch millis");
  }

  static Instant fromEpochMillis(long millis) {
    return checkTimestampRange(Instant.ofEpochMilli(millis), Long.toString(millis));
  }

  static Instant checkTimestampRange(Instant value, String asWritten) {
    if (value == null) {
      throw missing(EVENT_TIMESTAMP);
    }
    if (value.isBefore(MIN_TIMESTAMP) || value.isAfter(MAX_TIMESTAMP)) {
      throw new ContractViolation(
          RejectReason.BAD_TIMESTAMP,
          EVENT_TIMESTAMP,
          EVENT_TIMESTAMP + ": " + excerpt(asWritten) + " is outside years 0001..9999");
    }
    return value;
  }

  static ContractViolation missing(String field) {
    return new ContractViolation(
        RejectReason.MISSING_FIELD, field, field + ": required field is missing or null");
  }

  /** A short, single-line, quoted excerpt of an input value, safe to put in a detail message. */
  static String quote(String value) {
    return "'" + excerpt(value) + "'";
  }

  static String excerpt(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(value.length(), EXCERPT_CHARS) + 16);
    int n = Math.min(value.length(), EXCERPT_CHARS);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (value.length() > n) {
      sb.append("...(").append(value.length()).append(" chars)");
    }
    return sb.toString();
  }

  private static String wireNames(Enum<?>[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(values[i] instanceof EventType
          ? ((EventType) values[i]).wireName()
          : ((Device) values[i]).wireName());
    }
    return sb.append(']').toString();
  }
}
