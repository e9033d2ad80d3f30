package io.tributary.delta.log;

/**
 * A log checkpoint file is proven corrupt (read to its end, no valid Parquet footer) and cannot be
 * removed safely because the JSON commits it summarizes are gone (log cleanup removed them). The
 * table needs an operator: nothing was deleted.
 */
public final class CorruptCheckpointException extends DeltaLogException {
  private static final long serialVersionUID = 1L;

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
