package io.tributary.cdc.source;

import io.tributary.cdc.config.CdcJobOptions;
import io.tributary.cdc.silver.Lsns;

/**
 * The replication slot has been confirmed past the position the restored state covers: the job
 * was restored from an older checkpoint or savepoint than its latest (for example by Managed
 * Flink's automatic rollback). The changes in between are no longer in the slot, so resuming
 * would lose those the silver tables do not already hold. The message says what an operator can
 * do; docs/reliability.md explains the choices.
 */
public final class SlotAheadOfStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public SlotAheadOfStateException(String slot, long slotLsn, long restoredLsn) {
    super("Restored state is older than replication slot " + slot + ": the slot's confirmed_flush_lsn is "
        + Lsns.format(slotLsn) + ", but the restored checkpoint or savepoint only lets it reach " + Lsns.format(restoredLsn)
        + ". The job was restored from an older snapshot than its latest (e.g. an automatic rollback); the changes "
        + "between these positions cannot be read from the slot again. Choose one: restore the latest checkpoint or "
        + "savepoint instead; or start the job without state (it drops the slot and takes a new snapshot, which "
        + "brings every <table>_current view back in line with PostgreSQL); or, only if the silver tables already "
        + "hold every change up to " + Lsns.format(slotLsn) + " (the later run committed them), restart with "
        + CdcJobOptions.RESTORE_ACCEPT_SLOT_AHEAD.key() + "=true. See docs/reliability.md, \"Rollbacks\".");
  }
}
