package io.tributary.events;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One bad payload produced by {@link MalformedPayloads}, tagged with what {@link WebEventParser}
 * must answer: the reason code and the offending field (null when the problem is not tied to a
 * field, e.g. {@link RejectReason#NOT_JSON}).
 */
public final class MalformedPayload {
  private final String kind;
  private final RejectReason expectedReason;
  private final String expectedField;
  private final byte[] payload;

  MalformedPayload(String kind, RejectReason expectedReason, String expectedField, byte[] payload) {
    this.kind = Objects.requireNonNull(kind);
    this.expectedReason = Objects.requireNonNull(expectedReason);
    this.expectedField = expectedField;
    this.payload = Objects.requireNonNull(payload);
  }

  /** Stable name of the variant, e.g. {@code "bad_timestamp/month_13"}. */
  public String getKind() {
    return kind;
  }

  public RejectReason getExpectedReason() {
    return expectedReason;
  }

  /** The field the rejection must name, or null. */
  public String getExpectedField() {
    return expectedField;
  }

  /** A copy of the raw payload bytes. */
  public byte[] getPayload() {
    return payload.clone();
  }

  @Override
  public String toString() {
    String text = new String(payload, 0, Math.min(payload.length, 120), StandardCharsets.UTF_8);
    return "MalformedPayload{" + kind + " -> " + expectedReason
        + (expectedField == null ? "" : "(" + expectedField + ")")
        + ", " + payload.length + " bytes: " + text + (payload.length > 120 ? "..." : "") + "}";
  }
}
