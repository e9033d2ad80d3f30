package io.tributary.events;

/**
 * Why a payload was rejected. The constant names are a stable contract: they are written to the
 * quarantine table and used in dashboards and alerts, so existing names are never renamed or
 * reused with another meaning; new reasons may only be added.
 */
public enum RejectReason {
  /** The payload is larger than the parser's configured maximum; it was not parsed at all. */
  PAYLOAD_TOO_LARGE,
  /**
   * The payload is not a single well-formed JSON text in strict UTF-8: syntax error, invalid UTF-8,
   * byte order mark, empty payload, trailing content, duplicate object key (at any depth), or
   * nesting/number limits exceeded.
   */
  NOT_JSON,
  /** The payload is JSON, but its top-level value is not an object. */
  NOT_AN_OBJECT,
  /**
   * A string (a value or a key, at any depth) holds an escaped unpaired UTF-16 surrogate such as
   * {@code "\\ud800"}: valid JSON text, but not a Unicode character, so no UTF-8 column can store it
   * and keeping it would silently change the value. Checked after the JSON checks and before any
   * field; the rejection names the top-level field that holds it ({@code extra_fields} for unknown
   * fields) and never the value.
   */
  INVALID_UNICODE,
  /** A required field is absent or {@code null}. */
  MISSING_FIELD,
  /** A known field has the wrong JSON type (for example a number where a string is required). */
  WRONG_TYPE,
  /** A known field has the right JSON type but a value outside the contract (UUID, enum, country). */
  INVALID_VALUE,
  /** {@code event_timestamp} is neither ISO-8601 with a zone/offset nor integral epoch millis, or is out of range. */
  BAD_TIMESTAMP,
  /** {@code schema_version} is an integer other than the supported version ({@value WebEventContract#SCHEMA_VERSION}). */
  UNSUPPORTED_SCHEMA_VERSION,
  /**
   * A valid event whose {@code event_timestamp} is further before the record's arrival in Kinesis
   * than the consumer accepts (the events job: {@code events.max-event-age}). Not a parser
   * rejection: the consumer's late-data policy, applied to a parsed event.
   */
  TIMESTAMP_TOO_OLD,
  /**
   * A valid event whose {@code event_timestamp} is further after the record's arrival in Kinesis
   * than the consumer accepts (the events job: {@code events.max-future-skew}): a wrong client
   * clock or a forged value. Not a parser rejection, like {@link #TIMESTAMP_TOO_OLD}.
   */
  TIMESTAMP_IN_FUTURE;

  /**
   * Whether {@link WebEventParser} gives this reason; the others are a consumer's policies applied
   * to events the parser accepted ({@link #TIMESTAMP_TOO_OLD}, {@link #TIMESTAMP_IN_FUTURE}).
   */
  public boolean isParserReason() {
    return this != TIMESTAMP_TOO_OLD && this != TIMESTAMP_IN_FUTURE;
  }
}
