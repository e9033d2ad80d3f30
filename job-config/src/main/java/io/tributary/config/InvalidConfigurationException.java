package io.tributary.config;

import java.util.List;

/** A job's configuration is wrong; the message says what to change (and never shows a secret). */
public final class InvalidConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidConfigurationException(String message) {
    super(message);
  }

  /** One exception listing every problem, so a user fixes them in one round. */
  public static InvalidConfigurationException of(String what, List<String> problems) {
    StringBuilder b = new StringBuilder("Invalid ").append(what).append(" configuration:");
    problems.forEach(p -> b.append("\n  - ").append(p));
    return new InvalidConfigurationException(b.toString());
  }

  /** Throws if {@code problems} is not empty. */
  public static void throwIfAny(String what, List<String> problems) {
    if (!problems.isEmpty()) {
      throw of(what, problems);
    }
  }
}
