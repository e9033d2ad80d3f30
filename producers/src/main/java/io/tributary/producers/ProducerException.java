package io.tributary.producers;

/**
 * An expected failure of a producer (unreachable endpoint, missing stream or table, retries
 * exhausted, bad configuration). Its message is one line meant for the user; the command prints it
 * without a stack trace (unless {@code --verbose}).
 */
public class ProducerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ProducerException(String message) {
    super(message);
  }

  public ProducerException(String message, Throwable cause) {
    super(message, cause);
  }
}
