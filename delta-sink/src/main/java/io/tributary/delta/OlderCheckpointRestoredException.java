package io.tributary.delta;

/**
 * The job was restored from an older checkpoint or savepoint than the newest one this sink
 * committed to the table: the table already records a later checkpoint of the run that wrote the
 * restored state. Replaying from the older position would write the later checkpoints' rows again.
 * The message says what an operator can do; docs/reliability.md explains the choices.
 */
public final class OlderCheckpointRestoredException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public OlderCheckpointRestoredException(String table, String applicationId, long restored, long recorded) {
    this(table, restored, "checkpoint " + recorded + " of the same writer (" + applicationId + ")");
  }

  /** A run restored from the same state (or a later one of its lineage) committed past the restored checkpoint. */
  static OlderCheckpointRestoredException laterRun(String table, long restored, String applicationId, long recorded) {
    return new OlderCheckpointRestoredException(table, restored, "checkpoint " + recorded + " of a later run restored "
        + "from this job's state (" + applicationId + ")");
  }

  private OlderCheckpointRestoredException(String table, long restored, String recorded) {
    super("Restored checkpoint " + restored + " is older than what Delta table " + table + " already holds: it records "
        + recorded + ". The job was restored from an older "
        + "checkpoint or savepoint than its latest (e.g. an automatic rollback), so the rows of checkpoints after "
        + restored + " would be written again. Choose one: restore the latest checkpoint or savepoint instead; or, "
        + "accepting that rewrite, restart once with the sink option "
        + DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT.key() + "=true (events-job: sink."
        + DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT.key() + "; cdc-job: cdc.restore.accept-slot-ahead=true). "
        + "See docs/reliability.md, \"Rollbacks\".");
  }
}
