package io.tributary.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * A secret value (a password) that never appears in {@link #toString()}, logs or exceptions.
 * Serializable because Flink ships source configurations to task managers.
 */
public final class Secret implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String value;
  private final String origin;

  Secret(String value, String origin) {
    this.value = Objects.requireNonNull(value);
    this.origin = origin;
  }

  /** The clear value; hand it only to the client that needs it. */
  public String reveal() {
    return value;
  }

  /** Where the value came from, e.g. {@code env PGPASSWORD}; safe to print. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "******(" + origin + ")";
  }
}
