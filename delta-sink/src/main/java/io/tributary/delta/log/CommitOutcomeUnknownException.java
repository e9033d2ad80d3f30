package io.tributary.delta.log;

/**
 * Writing a commit failed in a way that does not tell whether the commit landed (a lost
 * acknowledgement, SDK retries exhausted after a PUT that may have succeeded, a timeout). Files
 * the commit references must not be deleted: the log may already reference them. Retrying the
 * same idempotent commit, or re-reading the log, resolves the outcome.
 */
public final class CommitOutcomeUnknownException extends DeltaLogException {
  private static final long serialVersionUID = 1L;

  public CommitOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
