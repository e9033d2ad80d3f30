package io.tributary.events;

import java.util.HashMap;
import java.util.Map;

/** The closed set of {@code event_type} values of contract version 1 (wire names are lower snake case). */
public enum EventType {
  PAGE_VIEW("page_view"),
  PAGE_PING("page_ping"),
  CLICK("click"),
  SEARCH("search"),
  ADD_TO_CART("add_to_cart"),
  REMOVE_FROM_CART("remove_from_cart"),
  CHECKOUT("checkout"),
  PURCHASE("purchase"),
  SIGN_UP("sign_up"),
  LOGIN("login");

  private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (EventType t : values()) {
      BY_WIRE_NAME.put(t.wireName, t);
    }
  }

  private final String wireName;

  EventType(String wireName) {
    this.wireName = wireName;
  }

  /** The exact string used in JSON, e.g. {@code "add_to_cart"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks up a wire name; matching is exact (case-sensitive).
   *
   * @return the type, or {@code null} if {@code wireName} is not a version 1 event type
   */
  public static EventType fromWireName(String wireName) {
    return wireName == null ? null : BY_WIRE_NAME.get(wireName);
  }
}
