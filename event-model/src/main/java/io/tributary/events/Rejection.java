package io.tributary.events;

import java.util.Objects;

/**
 * Why one payload was rejected: a stable {@link RejectReason}, the offending top-level field (or
 * {@code null} when the problem is not tied to one field, e.g. {@link RejectReason#NOT_JSON}) and a
 * human-readable detail that starts with the field name, e.g. {@code "event_timestamp: '2026-13-40'
 * is not ISO-8601 with a zone nor epoch millis"}.
 *
 * <p>The detail quotes at most a short excerpt of the offending value, never the whole payload:
 * the caller keeps the raw payload itself (for example in the quarantine table).
 */
public final class Rejection {
  private final RejectReason reason;
  private final String field;
  private final String detail;

  /**
   * @param reason the stable reason code, not null
   * @param field the offending top-level field name, or null
   * @param detail human-readable explanation, not null
   */
  public Rejection(RejectReason reason, String field, String detail) {
    this.reason = Objects.requireNonNull(reason, "reason");
    this.field = field;
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  public RejectReason getReason() {
    return reason;
  }

  /** The offending top-level field name, or {@code null} if not tied to one field. */
  public String getField() {
    return field;
  }

  public String getDetail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Rejection)) {
      return false;
    }
    Rejection that = (Rejection) o;
    return reason == that.reason && Objects.equals(field, that.field) && detail.equals(that.detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, field, detail);
  }

  @Override
  public String toString() {
    return "Rejection{" + reason + (field == null ? "" : ", field=" + field) + ", " + detail + "}";
  }
}
