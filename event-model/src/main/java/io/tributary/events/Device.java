package io.tributary.events;

/** The closed set of {@code device} values of contract version 1 (wire names are lower case). */
public enum Device {
  DESKTOP("desktop"),
  MOBILE("mobile"),
  TABLET("tablet");

  private final String wireName;

  Device(String wireName) {
    this.wireName = wireName;
  }

  /** The exact string used in JSON, e.g. {@code "mobile"}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Looks up a wire name; matching is exact (case-sensitive).
   *
   * @return the device, or {@code null} if {@code wireName} is not a version 1 device
   */
  public static Device fromWireName(String wireName) {
    if (wireName == null) {
      return null;
    }
    for (Device d : values()) {
      if (d.wireName.equals(wireName)) {
        return d;
      }
    }
    return null;
  }
}
