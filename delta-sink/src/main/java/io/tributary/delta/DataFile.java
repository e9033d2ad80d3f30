package io.tributary.delta;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A closed Parquet data file that is ready to be added to the table: everything the committer
 * needs for its {@code add} action, and nothing that needs the file system again.
 */
public final class DataFile implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final Map<String, String> partitionValues;
  private final long size;
  private final long modificationTime;
  private final long numRecords;
  private final String statsJson;

  /**
   * @param path absolute URI of the file (under the table root)
   * @param partitionValues partition column to its value as written in the Delta log (null for a
   *     null value), in partition column order
   * @param size exact file length in bytes
   * @param modificationTime epoch millis when the file was closed
   * @param numRecords rows in the file
   * @param statsJson Delta statistics JSON, or null when none were collected
   */
  public DataFile(
      String path,
      Map<String, String> partitionValues,
      long size,
      long modificationTime,
      long numRecords,
      String statsJson) {
    this.path = Objects.requireNonNull(path, "path");
    this.partitionValues = Collections.unmodifiableMap(new LinkedHashMap<>(partitionValues));
    this.size = size;
    this.modificationTime = modificationTime;
    this.numRecords = numRecords;
    this.statsJson = statsJson;
  }

  public String path() {
    return path;
  }

  public Map<String, String> partitionValues() {
    return partitionValues;
  }

  public long size() {
    return size;
  }

  public long modificationTime() {
    return modificationTime;
  }

  public long numRecords() {
    return numRecords;
  }

  /** Delta statistics JSON, or null. */
  public String statsJson() {
    return statsJson;
  }

  void writeTo(DataOutputView out) throws IOException {
    out.writeUTF(path);
    out.writeInt(partitionValues.size());
    for (Map.Entry<String, String> e : partitionValues.entrySet()) {
      out.writeUTF(e.getKey());
      writeNullable(out, e.getValue());
    }
    out.writeLong(size);
    out.writeLong(modificationTime);
    out.writeLong(numRecords);
    writeNullable(out, statsJson);
  }

  static DataFile readFrom(DataInputView in) throws IOException {
    String path = in.readUTF();
    int n = in.readInt();
    Map<String, String> partition = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      partition.put(in.readUTF(), readNullable(in));
    }
    return new DataFile(path, partition, in.readLong(), in.readLong(), in.readLong(), readNullable(in));
  }

  // Stats JSON can exceed writeUTF's 64 KiB limit for wide tables, so strings go as raw bytes.
  private static void writeNullable(DataOutputView out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  private static String readNullable(DataInputView in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DataFile)) {
      return false;
    }
    DataFile d = (DataFile) o;
    return size == d.size
        && modificationTime == d.modificationTime
        && numRecords == d.numRecords
        && path.equals(d.path)
        && partitionValues.equals(d.partitionValues)
        && Objects.equals(statsJson, d.statsJson);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, partitionValues, size, modificationTime, numRecords, statsJson);
  }

  @Override
  public String toString() {
    return "DataFile{" + path + ", " + partitionValues + ", " + numRecords + " rows, " + size + " B}";
  }
}
