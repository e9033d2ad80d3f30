package io.tributary.events;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;

/**
 * Serializes {@link WebEvent}s to the contract's JSON, i.e. what producers put on the stream.
 *
 * <p>Output: compact UTF-8 JSON object; {@code schema_version} first (always {@value
 * WebEventContract#SCHEMA_VERSION}), then the known fields in {@link WebEventContract#KNOWN_FIELDS}
 * order, omitting null nullable fields, then the extra fields in their order. {@code
 * event_timestamp} is written as ISO-8601 UTC with {@code Z} and as many fraction digits as needed
 * (0, 3, 6 or 9), so no precision is lost. Round trip: {@code parser.parse(toBytes(e)).getEvent()}
 * equals {@code e} for every event (within the parser's size limit). Thread-safe (stateless).
 */
public final class WebEventJson {
  private WebEventJson() {}

  /** The event as compact UTF-8 JSON bytes. */
  public static byte[] toBytes(WebEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      write(event, g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The event as compact JSON text. */
  public static String toJson(WebEvent event) {
    return new String(toBytes(event), StandardCharsets.UTF_8);
  }

  private static void write(WebEvent e, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField(WebEventContract.SCHEMA_VERSION_FIELD, e.getSchemaVersion());
    g.writeStringField(WebEventContract.EVENT_ID, e.getEventId());
    g.writeStringField(WebEventContract.EVENT_TYPE, e.getEventType().wireName());
    g.writeStringField(
        WebEventContract.EVENT_TIMESTAMP, DateTimeFormatter.ISO_INSTANT.format(e.getEventTimestamp()));
    writeOptional(g, WebEventContract.USER_ID, e.getUserId());
    writeOptional(g, WebEventContract.SESSION_ID, e.getSessionId());
    writeOptional(g, WebEventContract.PAGE_URL, e.getPageUrl());
    writeOptional(g, WebEventContract.REFERRER, e.getReferrer());
    writeOptional(g, WebEventContract.USER_AGENT, e.getUserAgent());
    writeOptional(g, WebEventContract.DEVICE, e.getDevice() == null ? null : e.getDevice().wireName());
    writeOptional(g, WebEventContract.COUNTRY, e.getCountry());
    writeOptional(g, WebEventContract.ORDER_ID, e.getOrderId());
    if (e.getProperties() != null) {
      g.writeFieldName(WebEventContract.PROPERTIES);
      // WebEvent guarantees this is the compact text of a JSON object.
      g.writeRawValue(e.getProperties());
    }
    String extras = e.getExtraFields();
    if (extras != null) {
      // WebEvent guarantees the compact text of a non-empty object: its members follow the
      // fields above as they are, numbers as written (a tree would turn 1e400 into "Infinity").
      g.writeRaw(',');
      g.writeRaw(extras, 1, extras.length() - 2);
    }
    g.writeEndObject();
  }

  private static void writeOptional(JsonGenerator g, String field, String value) throws IOException {
    if (value != null) {
      g.writeStringField(field, value);
    }
  }
}
