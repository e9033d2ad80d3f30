package io.tributary.events;

import java.util.Objects;

/** Outcome of {@link WebEventParser#parse(byte[])}: exactly one of an event or a rejection. */
public final class ParseResult {
  private final WebEvent event;
  private final Rejection rejection;

  private ParseResult(WebEvent event, Rejection rejection) {
    this.event = event;
    this.rejection = rejection;
  }

  public static ParseResult accepted(WebEvent event) {
    return new ParseResult(Objects.requireNonNull(event, "event"), null);
  }

  public static ParseResult rejected(Rejection rejection) {
    return new ParseResult(null, Objects.requireNonNull(rejection, "rejection"));
  }

  static ParseResult rejected(RejectReason reason, String field, String detail) {
    return rejected(new Rejection(reason, field, detail));
  }

  /** True if the payload was a valid event; then {@link #getEvent()} is non-null. */
  public boolean isAccepted() {
    return event != null;
  }

  /**
   * @return the parsed event
   * @throws IllegalStateException if the payload was rejected
   */
  public WebEvent getEvent() {
    if (event == null) {
      throw new IllegalStateException("payload was rejected: " + rejection);
    }
    return event;
  }

  /**
   * @return the rejection
   * @throws IllegalStateException if the payload was accepted
   */
  public Rejection getRejection() {
    if (rejection == null) {
      throw new IllegalStateException("payload was accepted");
    }
    return rejection;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ParseResult)) {
      return false;
    }
    ParseResult that = (ParseResult) o;
    return Objects.equals(event, that.event) && Objects.equals(rejection, that.rejection);
  }

  @Override
  public int hashCode() {
    return Objects.hash(event, rejection);
  }

  @Override
  public String toString() {
    return event != null ? "Accepted{" + event + "}" : "Rejected{" + rejection + "}";
  }
}
