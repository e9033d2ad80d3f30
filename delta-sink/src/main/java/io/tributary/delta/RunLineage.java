package io.tributary.delta;

import io.delta.kernel.exceptions.TableNotFoundException;
import io.tributary.delta.log.DeltaLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lineage of a sink's runs: an id drawn when a job starts without state and kept, in the
 * writer state of subtask 0, across every restore of that state and its descendants (failovers,
 * savepoint restores, application updates). The commit aggregator starts each run id with it
 * ({@code <lineage>.<random>}), so the table's transaction identifiers tell which runs continued
 * which state.
 *
 * <p><b>Rollbacks across runs are refused.</b> Checkpoint ids continue across restores, so a
 * restore from the newest state never finds a run of its lineage that committed a later
 * checkpoint. If the table records one, the job was restored from an older snapshot after a
 * restored run went on committing (e.g. Managed Flink's update, then system rollback): replaying
 * from there would write that run's rows again. Subtask 0 then fails with {@link
 * OlderCheckpointRestoredException} unless {@link DeltaSinkOptions#RESTORE_ACCEPT_OLDER_CHECKPOINT}
 * is set. (A rollback to an older checkpoint of the <em>same</em> run is the committer's check.)
 *
 * <p>State written before lineages existed has none: such a restore starts a new lineage, so a
 * later rollback to a snapshot from before it is not detected (logged).
 */
final class RunLineage {
  private static final Logger LOG = LoggerFactory.getLogger(RunLineage.class);

  /** For writers that neither keep nor tag a lineage (the delegates of {@link EvolvingDeltaSink}). */
  static final RunLineage NONE = new RunLineage(null);

  /** The lineage id; null except in subtask 0. */
  private final String id;

  private RunLineage(String id) {
    this.id = id;
  }

  /** A job started without state: subtask 0 draws a new lineage. */
  static RunLineage start(int subtask) {
    return new RunLineage(subtask == 0 ? UUID.randomUUID().toString() : null);
  }

  /**
   * A restored writer. Subtask 0 takes the lineage from its state (it always gets the first entry
   * when the parallelism changes) and checks the table for a later run of it (see class doc).
   *
   * @throws OlderCheckpointRestoredException when such a run exists and the sink does not accept it
   */
  static RunLineage restore(DeltaSinkConfig config, int subtask, OptionalLong restoredCheckpoint,
      Collection<String> states) {
    if (subtask != 0) {
      return new RunLineage(null);
    }
    if (states.isEmpty()) {
      String fresh = UUID.randomUUID().toString();
      LOG.warn("Restored state of Delta sink {} has no run lineage (written by an older version): lineage {} starts "
          + "here, and a later rollback to a snapshot from before this run cannot be detected", config.sinkId(), fresh);
      return new RunLineage(fresh);
    }
    String id = states.iterator().next();
    if (restoredCheckpoint.isPresent()) {
      check(config, id, restoredCheckpoint.getAsLong());
    }
    return new RunLineage(id);
  }

  private static void check(DeltaSinkConfig config, String id, long restored) {
    Map<String, Long> runs;
    try {
      runs = DeltaLog.open(config.tablePath(), config.hadoopConfiguration()).recordedTransactions(prefix(config.sinkId(), id));
    } catch (TableNotFoundException e) {
      return;
    }
    for (Map.Entry<String, Long> run : runs.entrySet()) {
      if (run.getValue() > restored) {
        OlderCheckpointRestoredException e =
            OlderCheckpointRestoredException.laterRun(config.tablePath(), restored, run.getKey(), run.getValue());
        if (!config.acceptOlderCheckpoint()) {
          throw e;
        }
        LOG.warn("{} Continuing because {} is true", e.getMessage(), DeltaSinkOptions.RESTORE_ACCEPT_OLDER_CHECKPOINT.key());
        return;
      }
    }
    LOG.info("Delta sink {} restored checkpoint {} of lineage {}: no run of it committed a later one ({} runs recorded)",
        config.sinkId(), restored, id, runs.size());
  }

  /** The application-id prefix of every run of {@code lineage} of sink {@code sinkId}. */
  static String prefix(String sinkId, String lineage) {
    return DeltaCommittable.applicationId(sinkId, lineage + ".");
  }

  /** The writer state to keep: the lineage in subtask 0, nothing elsewhere. */
  List<String> snapshot() {
    return id == null ? Collections.emptyList() : Collections.singletonList(id);
  }

  /**
   * The writer's results, with the lineage on them in subtask 0: there always one result, so the
   * aggregator learns the lineage at the first checkpoint, also when subtask 0 wrote nothing.
   */
  Collection<DeltaWriteResult> tag(Collection<DeltaWriteResult> results) {
    if (id == null) {
      return results;
    }
    List<DeltaWriteResult> out = new ArrayList<>(results.size() + 1);
    if (results.isEmpty()) {
      out.add(new DeltaWriteResult(Collections.emptyList(), null, id));
      return out;
    }
    for (DeltaWriteResult r : results) {
      out.add(out.isEmpty() ? r.withLineage(id) : r);
    }
    return out;
  }

  /** Writer state: the lineage id as UTF-8. */
  static final class Serializer implements SimpleVersionedSerializer<String> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(String lineage) {
      return lineage.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) {
        throw new IOException("Unknown run lineage serializer version " + version);
      }
      return new String(serialized, StandardCharsets.UTF_8);
    }
  }
}
