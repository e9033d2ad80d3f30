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
 * (applicationId(), checkpointId)}. The application id carries the Flink job id that wrote the
 * files because checkpoint ids restart at 1 when a job starts without state: a stable id alone
 * would make the new job's first commits look like replays of the old job's.
 */
public final class DeltaCommittable {
  private final String sinkId;
  private final String jobId;
  private final long checkpointId;
  private final List<DataFile> files;

  public DeltaCommittable(String sinkId, String jobId, long checkpointId, List<DataFile> files) {
    this.sinkId = Objects.requireNonNull(sinkId, "sinkId");
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.checkpointId = checkpointId;
    this.files = Collections.unmodifiableList(new ArrayList<>(files));
  }

  public String sinkId() {
    return sinkId;
  }

  public String jobId() {
    return jobId;
  }

  public long checkpointId() {
    return checkpointId;
  }

  public List<DataFile> files() {
    return files;
  }

  /** Delta transaction application id of this committable. */
  public String applicationId() {
    return applicationId(sinkId, jobId);
  }

  /** Delta transaction application id for a sink id and a Flink job id. */
  public static String applicationId(String sinkId, String jobId) {
    return "tributary:" + sinkId + ":" + jobId;
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
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
      return VERSION;
    }

    @Override
    public byte[] serialize(DeltaCommittable c) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(256);
      out.writeUTF(c.sinkId);
      out.writeUTF(c.jobId);
      out.writeLong(c.checkpointId);
      DeltaWriteResult.writeFiles(out, c.files);
      return out.getCopyOfBuffer();
    }

    @Override
    public DeltaCommittable deserialize(int version, byte[] bytes) throws IOException {
      if (version != VERSION) {
        throw new IOException("Unknown DeltaCommittable serializer version " + version);
      }
      DataInputDeserializer in = new DataInputDeserializer(bytes);
      String sinkId = in.readUTF();
      String jobId = in.readUTF();
      long checkpointId = in.readLong();
      return new DeltaCommittable(sinkId, jobId, checkpointId, DeltaWriteResult.readFiles(in));
    }
  }
}
