package io.tributary.delta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Everything one checkpoint wrote, from all writer subtasks: one Delta commit.
 *
 * <p>The commit is made idempotent with the Delta transaction identifier {@code
 * (applicationId(), checkpointId)}. The application id carries a <em>run id</em>: a random id the
 * aggregator draws each time it starts, so it never repeats across runs, whatever the Flink job
 * id is (application mode with HA and no fixed job id reuses the job id of a previous run that
 * started without state). Checkpoint ids restart at 1 with a new run, so a repeated id would make
 * the new run's commits look like replays of the old one's and skip them. A committable keeps its
 * run id in the committer's state, so a restored committable is recognized when the table already
 * holds it. Committables written by the previous version of this class (serializer version 1)
 * carry the Flink job id in that place, and keep their application id.
 */
public final class DeltaCommittable {
  private final String sinkId;
  private final String runId;
  private final long checkpointId;
  private final List<DataFile> files;
  private final String schemaJson;

  /**
   * @param runId the id of the run that wrote the files (for committables restored from version-1
   *     state: the Flink job id)
   */
  public DeltaCommittable(String sinkId, String runId, long checkpointId, List<DataFile> files) {
    this(sinkId, runId, checkpointId, files, null);
  }

  /**
   * @param schemaJson the Delta schema (JSON) the files were written with when it may be wider
   *     than the table's: the committer adds the missing nullable columns before the data; null
   *     when the files follow the table's schema
   */
  public DeltaCommittable(String sinkId, String runId, long checkpointId, List<DataFile> files, String schemaJson) {
    this.sinkId = Objects.requireNonNull(sinkId, "sinkId");
    this.runId = Objects.requireNonNull(runId, "runId");
    this.checkpointId = checkpointId;
    this.files = Collections.unmodifiableList(new ArrayList<>(files));
    this.schemaJson = schemaJson;
  }

  public String sinkId() {
    return sinkId;
  }

  /** The run that wrote the files (the Flink job id for committables of serializer version 1). */
  public String runId() {
    return runId;
  }

  public long checkpointId() {
    return checkpointId;
  }

  public List<DataFile> files() {
    return files;
  }

  /** The schema (Delta JSON) the files need the table to have, or null. */
  public String schemaJson() {
    return schemaJson;
  }

  /** Delta transaction application id of this committable. */
  public String applicationId() {
    return applicationId(sinkId, runId);
  }

  /** Delta transaction application id for a sink id and a run id. */
  public static String applicationId(String sinkId, String runId) {
    return "tributary:" + sinkId + ":" + runId;
  }

  public long numRecords() {
    long n = 0;
    for (DataFile f : files) {
      n += f.numRecords();
    }
    return n;
  }

  @Override
  public String toString() {
    return "DeltaCommittable{" + applicationId() + ", checkpoint " + checkpointId + ", " + files.size() + " files}";
  }

  /** Versioned binary form, stored in the committer's checkpointed state. */
  public static final class Serializer implements SimpleVersionedSerializer<DeltaCommittable> {
    /** 1: sink id, job id, checkpoint, files. 2: run id instead of job id, optional schema. */
    private static final int VERSION = 2;

    @Override
    public int getVersion() {
      return VERSION;
    }

    @Override
    public byte[] serialize(DeltaCommittable c) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(256);
      out.writeUTF(c.sinkId);
      out.writeUTF(c.runId);
      out.writeLong(c.checkpointId);
      DeltaWriteResult.writeFiles(out, c.files);
      DeltaWriteResult.writeSchema(out, c.schemaJson);
      return out.getCopyOfBuffer();
    }

    @Override
    public DeltaCommittable deserialize(int version, byte[] bytes) throws IOException {
      if (version != 1 && version != VERSION) {
        throw new IOException("Unknown DeltaCommittable serializer version " + version);
      }
      DataInputDeserializer in = new DataInputDeserializer(bytes);
      String sinkId = in.readUTF();
      String runId = in.readUTF();
      long checkpointId = in.readLong();
      List<DataFile> files = DeltaWriteResult.readFiles(in);
      String schema = version == 1 ? null : DeltaWriteResult.readSchema(in);
      return new DeltaCommittable(sinkId, runId, checkpointId, files, schema);
    }
  }
}
