package io.tributary.events;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
    // Hand-written instead of a regex: this runs for every event.
    if (value.length() != 36) {
      throw notAUuid(value);
    }
    boolean upper = false;
    for (int i = 0; i < 36; i++) {
      char c = value.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          throw notAUuid(value);
        }
      } else if (c >= 'A' && c <= 'F') {
        upper = true;
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw notAUuid(value);
      }
    }
    // Only ASCII hex digits and '-' remain, so this equals toLowerCase(Locale.ROOT).
    return upper ? value.toLowerCase(Locale.ROOT) : value;
  }

  private static ContractViolation notAUuid(String value) {
    return new ContractViolation(
        RejectReason.INVALID_VALUE,
        EVENT_ID,
        EVENT_ID + ": " + quote(value) + " is not a UUID (8-4-4-4-12 hex digits)");
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
    Instant fast = parseCommonTimestamp(text);
    if (fast != null) {
      return checkTimestampRange(fast, text);
    }
    return parseTimestampWithFormatter(text);
  }

  /** The general (slow) path of {@link #parseTimestamp}: the JDK ISO formatter. */
  static Instant parseTimestampWithFormatter(String text) {
    if (text.length() <= MAX_TIMESTAMP_CHARS && mayParse(text)) {
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

  /**
   * False when the formatter would certainly throw: its parse phase fails, or the date has a month
   * or day of month that no calendar has (its resolver is STRICT). Checked without an exception,
   * because bad timestamps can come at a high rate and exceptions are costly in a deep stack.
   */
  private static boolean mayParse(String text) {
    try {
      return mayParseUnchecked(text);
    } catch (DateTimeException e) {
      return true; // unusual input (e.g. 24:00:01): the formatter decides
    }
  }

  private static boolean mayParseUnchecked(String text) {
    ParsePosition position = new ParsePosition(0);
    TemporalAccessor parsed = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parseUnresolved(text, position);
    if (parsed == null || position.getErrorIndex() >= 0 || position.getIndex() < text.length()) {
      return false;
    }
    if (parsed.isSupported(ChronoField.YEAR)
        && parsed.isSupported(ChronoField.MONTH_OF_YEAR)
        && parsed.isSupported(ChronoField.DAY_OF_MONTH)) {
      long month = parsed.getLong(ChronoField.MONTH_OF_YEAR);
      long day = parsed.getLong(ChronoField.DAY_OF_MONTH);
      if (month < 1 || month > 12 || day < 1) {
        return false;
      }
      long year = parsed.getLong(ChronoField.YEAR);
      boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
      return day <= monthLength((int) month, leap);
    }
    return true;
  }

  /**
   * Fast path of {@link #parseTimestamp} for the common form {@code
   * YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)} ({@code T} and {@code Z} in either case, as the
   * ISO formatter is case-insensitive). Returns exactly what {@code OffsetDateTime.parse(text,
   * ISO_OFFSET_DATE_TIME).toInstant()} returns, or null for anything it does not fully recognise
   * and validate (then the formatter decides), so the accepted set and the messages do not depend
   * on this method. No range check here.
   */
  static Instant parseCommonTimestamp(String text) {
    int len = text.length();
    if (len < 20 || len > 35) {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || (text.charAt(10) != 'T' && text.charAt(10) != 't')
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
      return null; // 24:00, leap seconds etc.: let the formatter decide
    }
    boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    if (day > monthLength(month, leap)) {
      return null;
    }
    int pos = 19;
    int nanos = 0;
    if (text.charAt(pos) == '.') {
      pos++;
      int start = pos;
      while (pos < len && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        nanos = nanos * 10 + (text.charAt(pos) - '0');
        pos++;
      }
      int n = pos - start;
      if (n < 1 || n > 9) {
        return null;
      }
      for (; n < 9; n++) {
        nanos *= 10;
      }
    }
    if (pos >= len) {
      return null;
    }
    int offsetSeconds;
    char c = text.charAt(pos);
    if ((c == 'Z' || c == 'z') && pos + 1 == len) {
      offsetSeconds = 0;
    } else if ((c == '+' || c == '-') && pos + 6 == len && text.charAt(pos + 3) == ':') {
      int oh = digits(text, pos + 1, 2);
      int om = digits(text, pos + 4, 2);
      if (oh < 0 || om < 0 || oh > 17 || om > 59) {
        return null; // +18:00 and beyond: let the formatter decide
      }
      offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
    } else {
      return null;
    }
    long epochDay = epochDay(year, month, day, leap);
    long epochSecond = epochDay * 86_400L + hour * 3600 + minute * 60 + second - offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /** The value of {@code n} ASCII digits at {@code from}, or -1 if any is not a digit. */
  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int monthLength(int month, boolean leap) {
    switch (month) {
      case 2:
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Same arithmetic as {@code LocalDate.toEpochDay()} for years 0..9999. */
  private static long epochDay(long y, long m, int day, boolean leap) {
    long total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    total += (367 * m - 362) / 12;
    total += day - 1;
    if (m > 2) {
      total--;
      if (!leap) {
        total--;
      }
    }
    return total - 719_528L; // days from 0000-01-01 to 1970-01-01
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
