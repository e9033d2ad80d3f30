package io.tributary.delta.log;

/**
 * Another writer committed a change this commit cannot be rebased over (for example both removed
 * the same file). The commit provably did not land: its version was taken by the other writer.
 */
public final class CommitConflictException extends DeltaLogException {
  private static final long serialVersionUID = 1L;

  public CommitConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
