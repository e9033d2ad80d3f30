package io.tributary.delta;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** What one writer subtask closed for one checkpoint: its data files. */
public final class DeltaWriteResult {
  private final List<DataFile> files;

  public DeltaWriteResult(List<DataFile> files) {
    this.files = Collections.unmodifiableList(new ArrayList<>(files));
  }

  public List<DataFile> files() {
    return files;
  }

  @Override
  public String toString() {
    return "DeltaWriteResult{" + files.size() + " files}";
  }

  /** Versioned binary form, sent from writers to the aggregator. */
  public static final class Serializer implements SimpleVersionedSerializer<DeltaWriteResult> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
      return VERSION;
    }

    @Override
    public byte[] serialize(DeltaWriteResult result) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(256);
      writeFiles(out, result.files);
      return out.getCopyOfBuffer();
    }

    @Override
    public DeltaWriteResult deserialize(int version, byte[] bytes) throws IOException {
      if (version != VERSION) {
        throw new IOException("Unknown DeltaWriteResult serializer version " + version);
      }
      return new DeltaWriteResult(readFiles(new DataInputDeserializer(bytes)));
    }
  }

  static void writeFiles(DataOutputSerializer out, List<DataFile> files) throws IOException {
    out.writeInt(files.size());
    for (DataFile f : files) {
      f.writeTo(out);
    }
  }

  static List<DataFile> readFiles(DataInputDeserializer in) throws IOException {
    int n = in.readInt();
    List<DataFile> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      files.add(DataFile.readFrom(in));
    }
    return files;
  }
}
