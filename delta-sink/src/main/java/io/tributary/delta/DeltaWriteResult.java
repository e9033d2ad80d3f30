package io.tributary.delta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What one writer subtask closed for one checkpoint: its data files, the schema they were written
 * with when the writer widened it (rows of a newer schema version arrived), and, from subtask 0,
 * the sink's run lineage ({@link RunLineage}).
 */
public final class DeltaWriteResult {
  private final List<DataFile> files;
  private final String schemaJson;
  private final String lineage;

  public DeltaWriteResult(List<DataFile> files) {
    this(files, null);
  }

  /** @param schemaJson Delta schema JSON the table must have for these files, or null */
  public DeltaWriteResult(List<DataFile> files, String schemaJson) {
    this(files, schemaJson, null);
  }

  /** @param lineage the sink's run lineage (subtask 0 only), or null */
  public DeltaWriteResult(List<DataFile> files, String schemaJson, String lineage) {
    this.files = Collections.unmodifiableList(new ArrayList<>(files));
    this.schemaJson = schemaJson;
    this.lineage = lineage;
  }

  /** This result with the run lineage on it. */
  DeltaWriteResult withLineage(String id) {
    return new DeltaWriteResult(files, schemaJson, id);
  }

  /** The sink's run lineage, or null (not from subtask 0). */
  public String lineage() {
    return lineage;
  }

  public List<DataFile> files() {
    return files;
  }

  /** The schema (Delta JSON) the table must have for these files, or null. */
  public String schemaJson() {
    return schemaJson;
  }

  @Override
  public String toString() {
    return "DeltaWriteResult{" + files.size() + " files" + (schemaJson == null ? "" : ", evolved schema")
        + (lineage == null ? "" : ", lineage " + lineage) + "}";
  }

  /** Versioned binary form, sent from writers to the aggregator. */
  public static final class Serializer implements SimpleVersionedSerializer<DeltaWriteResult> {
    private static final int VERSION = 3;

    @Override
    public int getVersion() {
      return VERSION;
    }

    @Override
    public byte[] serialize(DeltaWriteResult result) throws IOException {
      DataOutputSerializer out = new DataOutputSerializer(256);
      writeFiles(out, result.files);
      writeSchema(out, result.schemaJson);
      out.writeBoolean(result.lineage != null);
      if (result.lineage != null) {
        out.writeUTF(result.lineage);
      }
      return out.getCopyOfBuffer();
    }

    @Override
    public DeltaWriteResult deserialize(int version, byte[] bytes) throws IOException {
      if (version < 1 || version > VERSION) {
        throw new IOException("Unknown DeltaWriteResult serializer version " + version);
      }
      DataInputDeserializer in = new DataInputDeserializer(bytes);
      List<DataFile> files = readFiles(in);
      String schema = version == 1 ? null : readSchema(in);
      String lineage = version >= 3 && in.readBoolean() ? in.readUTF() : null;
      return new DeltaWriteResult(files, schema, lineage);
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

  // A wide schema's JSON can exceed writeUTF's 64 KiB limit: raw bytes.
  static void writeSchema(DataOutputSerializer out, String schemaJson) throws IOException {
    out.writeBoolean(schemaJson != null);
    if (schemaJson != null) {
      byte[] bytes = schemaJson.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  static String readSchema(DataInputDeserializer in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
