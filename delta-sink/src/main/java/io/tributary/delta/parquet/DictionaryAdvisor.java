package io.tributary.delta.parquet;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Decides per column whether a writer's next Parquet file tries dictionary encoding, from what
 * its earlier files showed. Not thread-safe: one per writer.
 *
 * <p>Why: a streaming sink closes its files at every checkpoint, so each file starts a fresh
 * dictionary. For a column whose values barely repeat (ids, timestamps, JSON documents) the
 * dictionary fills up and Parquet falls back to plain encoding, after hashing and comparing every
 * value and then re-encoding all of them: pure overhead, paid again in every file. A column whose
 * dictionary fell back in a file is written plain in the following files; every {@code
 * probeEvery}-th file tries the dictionary for every column again, so a column whose values start
 * repeating gets it back. The output is ordinary Parquet either way; only its encodings differ.
 */
public final class DictionaryAdvisor {
  /** Default number of files between two files that try the dictionary for every column. */
  public static final int DEFAULT_PROBE_EVERY = 16;

  private final int probeEvery;
  private final Set<String> plain = new HashSet<>();
  private int filesSinceProbe;

  public DictionaryAdvisor() {
    this(DEFAULT_PROBE_EVERY);
  }

  /** @param probeEvery files between two probes, at least 1 (1: always try the dictionary) */
  public DictionaryAdvisor(int probeEvery) {
    if (probeEvery < 1) {
      throw new IllegalArgumentException("probeEvery must be at least 1: " + probeEvery);
    }
    this.probeEvery = probeEvery;
  }

  /**
   * The columns (dot paths) the next file should write without a dictionary. Called once per new
   * file (by {@link ParquetFileAppender}); the returned set is a snapshot.
   */
  Set<String> nextFilePlainColumns() {
    if (++filesSinceProbe >= probeEvery) {
      filesSinceProbe = 0;
      plain.clear(); // this file probes every column; its footer refills the set
      return Collections.emptySet();
    }
    return plain.isEmpty() ? Collections.emptySet() : Set.copyOf(plain);
  }

  /**
   * Learns from a closed file: a column that was written with a dictionary and still has data
   * pages in another encoding overflowed its dictionary.
   *
   * @param plainInFile the set {@link #nextFilePlainColumns()} returned for that file
   */
  void learn(ParquetMetadata footer, Set<String> plainInFile) {
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        String path = column.getPath().toDotString();
        EncodingStats stats = column.getEncodingStats();
        if (stats != null && !plainInFile.contains(path) && stats.hasNonDictionaryEncodedPages()) {
          plain.add(path);
        }
      }
    }
  }
}
