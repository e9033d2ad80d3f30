package io.tributary.cdc.source;

import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverRowSerializer;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The changes of one open source transaction, in order, with bounded heap: rows are kept serialized
 * in memory up to {@code memoryBytes}; past that the serialized rows are appended to a spill file
 * in a local directory (the TaskManager's {@code io.tmp.dirs}) and the memory buffer starts over.
 * So the heap a transaction takes is at most about {@code memoryBytes} plus one row, whatever the
 * transaction's size; the rest is on local disk.
 *
 * <p>{@link #drain} hands the rows back in the order they were added (spill file first, then the
 * memory buffer) and empties the buffer; {@link #clear} drops them. Both delete the spill file, and
 * so does {@link #close}: a file outlives the buffer only when the process dies (then it is a
 * uniquely named file under the tmp directory, which a new TaskManager container starts without).
 *
 * <p>Not thread-safe: the source thread owns it.
 */
public final class TransactionBuffer implements AutoCloseable {
  /** A consumer of drained rows that may fail. */
  interface RowConsumer {
    void accept(SilverRow row) throws Exception;
  }

  public static final String SPILL_PREFIX = "tributary-cdc-txn-";
  static final String SPILL_SUFFIX = ".spill";
  private static final int INITIAL_BUFFER = 4096;

  private final long memoryBytes;
  private final File[] spillDirs;
  private final String name;
  private final TypeSerializer<SilverRow> writer;
  private final TypeSerializer<SilverRow> reader;
  private DataOutputSerializer memory = new DataOutputSerializer(INITIAL_BUFFER);
  private File spillFile;
  private OutputStream spill;
  private long rows;
  private long spilledRows;
  private long spilledBytes;
  private int memoryRows;
  private long spillsStarted;

  /**
   * @param memoryBytes serialized bytes kept in heap before the rows go to a spill file (at least 1)
   * @param spillDirs local directories for spill files (one is picked per file)
   * @param name part of spill file names, e.g. the slot name
   */
  TransactionBuffer(long memoryBytes, File[] spillDirs, String name) {
    if (memoryBytes < 1) {
      throw new IllegalArgumentException("memoryBytes must be positive, was " + memoryBytes);
    }
    if (spillDirs == null || spillDirs.length == 0) {
      throw new IllegalArgumentException("no spill directory");
    }
    this.memoryBytes = memoryBytes;
    this.spillDirs = spillDirs.clone();
    this.name = Objects.requireNonNull(name);
    this.writer = new SilverRowSerializer();
    this.reader = new SilverRowSerializer();
  }

  /** Appends a row; spills the memory buffer once it holds more than the bound. */
  void add(SilverRow row) throws IOException {
    writer.serialize(row, memory);
    rows++;
    memoryRows++;
    if (memory.length() > memoryBytes) {
      spillMemory();
    }
  }

  boolean isEmpty() {
    return rows == 0;
  }

  /** Rows currently held (memory and spill file). */
  long size() {
    return rows;
  }

  /** Rows of the current transaction written to the spill file so far. */
  long spilledRows() {
    return spilledRows;
  }

  /** Bytes of the current transaction written to the spill file so far. */
  long spilledBytes() {
    return spilledBytes;
  }

  /** Spill files this buffer has created since it was made (one per spilled transaction). */
  long spillsStarted() {
    return spillsStarted;
  }

  /** The current spill file, or null while the transaction fits in memory. */
  File spillFile() {
    return spillFile;
  }

  /** Passes every row to {@code consumer} in insertion order, then empties the buffer (also on failure). */
  void drain(RowConsumer consumer) throws Exception {
    try {
      if (spill != null) {
        spill.close();
        spill = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(spillFile.toPath()), 1 << 16)) {
          DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
          for (long i = 0; i < spilledRows; i++) {
            consumer.accept(reader.deserialize(view));
          }
        }
      }
      DataInputDeserializer in = new DataInputDeserializer(memory.getSharedBuffer(), 0, memory.length());
      for (int i = 0; i < memoryRows; i++) {
        consumer.accept(reader.deserialize(in));
      }
    } finally {
      clear();
    }
  }

  /** Drops every row and deletes the spill file. */
  void clear() throws IOException {
    rows = 0;
    memoryRows = 0;
    spilledRows = 0;
    spilledBytes = 0;
    if (memory.getSharedBuffer().length > (1 << 20)) {
      memory = new DataOutputSerializer(INITIAL_BUFFER); // a large transaction's buffer is not kept for the next one
    } else {
      memory.clear();
    }
    deleteSpillFile();
  }

  @Override
  public void close() throws IOException {
    clear();
  }

  private void spillMemory() throws IOException {
    if (spill == null) {
      File dir = spillDirs[ThreadLocalRandom.current().nextInt(spillDirs.length)];
      Files.createDirectories(dir.toPath());
      spillFile = Files.createTempFile(dir.toPath(), SPILL_PREFIX + name + "-", SPILL_SUFFIX).toFile();
      spill = new java.io.BufferedOutputStream(
          Files.newOutputStream(spillFile.toPath(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), 1 << 16);
      spillsStarted++;
    }
    spill.write(memory.getSharedBuffer(), 0, memory.length());
    spilledBytes += memory.length();
    spilledRows += memoryRows;
    memoryRows = 0;
    memory.clear();
  }

  private void deleteSpillFile() throws IOException {
    OutputStream out = spill;
    File file = spillFile;
    spill = null;
    spillFile = null;
    try {
      if (out != null) {
        out.close();
      }
    } finally {
      if (file != null) {
        Files.deleteIfExists(file.toPath());
      }
    }
  }
}
