package io.tributary.delta.log;

/**
 * A failure writing or reading a table's Delta log whose subclass says what happened, so callers
 * (and operators reading the message) can tell a lost race from an unknown outcome or damage.
 */
public class DeltaLogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeltaLogException(String message, Throwable cause) {
    super(message, cause);
  }

  public DeltaLogException(String message) {
    super(message);
  }
}
