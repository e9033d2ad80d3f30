package io.tributary.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;

/**
 * One web-navigation event of contract version 1: an immutable, always-valid value.
 *
 * <p>Invariants (enforced by {@link Builder#build()}, with the same rules as {@link WebEventParser}):
 *
 * <ul>
 *   <li>{@code eventId} is a UUID string in canonical form, stored in lower case;</li>
 *   <li>{@code eventType} and {@code eventTimestamp} are non-null; the timestamp lies in years
 *       0001..9999 and keeps its full (nanosecond) precision;</li>
 *   <li>{@code country}, if present, is an upper-case ISO 3166-1 alpha-2 code;</li>
 *   <li>{@code properties}, if present, is the compact JSON text of a JSON object;</li>
 *   <li>{@code extraFields}, if present, is the compact JSON text of a non-empty JSON object whose
 *       keys are not known fields: the unknown top-level input fields, in input order.</li>
 * </ul>
 *
 * <p>The schema version is implicit: every {@code WebEvent} is version {@value
 * WebEventContract#SCHEMA_VERSION}.
 */
public final class WebEvent {
  private final String eventId;
  private final EventType eventType;
  private final Instant eventTimestamp;
  private final String userId;
  private final String sessionId;
  private final String pageUrl;
  private final String referrer;
  private final String userAgent;
  private final Device device;
  private final String country;
  private final String orderId;
  private final String properties;
  private final String extraFields;

  private WebEvent(Builder b) {
    this.eventId = b.eventId;
    this.eventType = b.eventType;
    this.eventTimestamp = b.eventTimestamp;
    this.userId = b.userId;
    this.sessionId = b.sessionId;
    this.pageUrl = b.pageUrl;
    this.referrer = b.referrer;
    this.userAgent = b.userAgent;
    this.device = b.device;
    this.country = b.country;
    this.orderId = b.orderId;
    this.properties = b.properties;
    this.extraFields = b.extraFields;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this event's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.eventId = eventId;
    b.eventType = eventType;
    b.eventTimestamp = eventTimestamp;
    b.userId = userId;
    b.sessionId = sessionId;
    b.pageUrl = pageUrl;
    b.referrer = referrer;
    b.userAgent = userAgent;
    b.device = device;
    b.country = country;
    b.orderId = orderId;
    b.properties = properties;
    b.extraFields = extraFields;
    return b;
  }

  /** Always {@value WebEventContract#SCHEMA_VERSION}. */
  public int getSchemaVersion() {
    return WebEventContract.SCHEMA_VERSION;
  }

  /** UUID string, lower case, never null. */
  public String getEventId() {
    return eventId;
  }

  public EventType getEventType() {
    return eventType;
  }

  /** Event time with the full precision of the input (at least microseconds), never null. */
  public Instant getEventTimestamp() {
    return eventTimestamp;
  }

  /** Null for anonymous users. */
  public String getUserId() {
    return userId;
  }

  public String getSessionId() {
    return sessionId;
  }

  public String getPageUrl() {
    return pageUrl;
  }

  public String getReferrer() {
    return referrer;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public Device getDevice() {
    return device;
  }

  /** Upper-case ISO 3166-1 alpha-2 code, or null. */
  public String getCountry() {
    return country;
  }

  public String getOrderId() {
    return orderId;
  }

  /** Compact JSON text of the {@code properties} object, or null. */
  public String getProperties() {
    return properties;
  }

  /** Compact JSON text of the object of unknown top-level input fields, or null if there were none. */
  public String getExtraFields() {
    return extraFields;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WebEvent)) {
      return false;
    }
    WebEvent e = (WebEvent) o;
    return eventId.equals(e.eventId)
        && eventType == e.eventType
        && eventTimestamp.equals(e.eventTimestamp)
        && Objects.equals(userId, e.userId)
        && Objects.equals(sessionId, e.sessionId)
        && Objects.equals(pageUrl, e.pageUrl)
        && Objects.equals(referrer, e.referrer)
        && Objects.equals(userAgent, e.userAgent)
        && device == e.device
        && Objects.equals(country, e.country)
        && Objects.equals(orderId, e.orderId)
        && Objects.equals(properties, e.properties)
        && Objects.equals(extraFields, e.extraFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        eventId, eventType, eventTimestamp, userId, sessionId, pageUrl, referrer, userAgent, device,
        country, orderId, properties, extraFields);
  }

  @Override
  public String toString() {
    return "WebEvent{eventId=" + eventId
        + ", eventType=" + eventType.wireName()
        + ", eventTimestamp=" + eventTimestamp
        + ", userId=" + userId
        + ", sessionId=" + sessionId
        + ", pageUrl=" + pageUrl
        + ", referrer=" + referrer
        + ", userAgent=" + userAgent
        + ", device=" + (device == null ? null : device.wireName())
        + ", country=" + country
        + ", orderId=" + orderId
        + ", properties=" + properties
        + ", extraFields=" + extraFields
        + "}";
  }

  /** Mutable, single-use-per-thread builder; {@link #build()} validates. */
  public static final class Builder {
    private String eventId;
    private EventType eventType;
    private Instant eventTimestamp;
    private String userId;
    private String sessionId;
    private String pageUrl;
    private String referrer;
    private String userAgent;
    private Device device;
    private String country;
    private String orderId;
    private String properties;
    private String extraFields;

    private Builder() {}

    public Builder eventId(String eventId) {
      this.eventId = eventId;
      return this;
    }

    public Builder eventType(EventType eventType) {
      this.eventType = eventType;
      return this;
    }

    public Builder eventTimestamp(Instant eventTimestamp) {
      this.eventTimestamp = eventTimestamp;
      return this;
    }

    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    public Builder sessionId(String sessionId) {
      this.sessionId = sessionId;
      return this;
    }

    public Builder pageUrl(String pageUrl) {
      this.pageUrl = pageUrl;
      return this;
    }

    public Builder referrer(String referrer) {
      this.referrer = referrer;
      return this;
    }

    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    public Builder country(String country) {
      this.country = country;
      return this;
    }

    public Builder orderId(String orderId) {
      this.orderId = orderId;
      return this;
    }

    /** JSON text of an object (any formatting; stored in compact form), or null. */
    public Builder properties(String propertiesJson) {
      this.properties = propertiesJson;
      return this;
    }

    /**
     * JSON text of an object of additional top-level fields (any formatting; stored in compact
     * form), or null. An empty object is stored as null. Keys must not be known fields.
     */
    public Builder extraFields(String extraFieldsJson) {
      this.extraFields = extraFieldsJson;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException if a value breaks the contract (message as in {@link
     *     Rejection#getDetail()})
     */
    public WebEvent build() {
      try {
        eventId = WebEventContract.checkEventId(eventId);
        if (eventType == null) {
          throw WebEventContract.missing(WebEventContract.EVENT_TYPE);
        }
        WebEventContract.checkTimestampRange(
            eventTimestamp, eventTimestamp == null ? null : eventTimestamp.toString());
        WebEventContract.checkCountry(country);
      } catch (ContractViolation v) {
        throw new IllegalArgumentException(v.getMessage());
      }
      if (properties != null) {
        properties = Json.compactObject(properties, WebEventContract.PROPERTIES);
      }
      if (extraFields != null) {
        ObjectNode extras = Json.parseObject(extraFields, WebEventContract.EXTRA_FIELDS);
        for (Iterator<String> it = extras.fieldNames(); it.hasNext(); ) {
          String name = it.next();
          if (WebEventContract.isKnownField(name)) {
            throw new IllegalArgumentException(
                WebEventContract.EXTRA_FIELDS + ": '" + name + "' is a known field, not an extra one");
          }
        }
        extraFields = extras.isEmpty() ? null : Json.compactObject(extraFields, WebEventContract.EXTRA_FIELDS);
      }
      return new WebEvent(this);
    }

    /** Builds without re-validating: only for values the parser has already checked and canonicalized. */
    WebEvent buildTrusted() {
      return new WebEvent(this);
    }
  }
}
