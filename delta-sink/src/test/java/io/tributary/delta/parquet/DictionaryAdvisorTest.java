package io.tributary.delta.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real Parquet files: which columns fall back, and that the next file writes them plain. */
class DictionaryAdvisorTest {
  private static final RowType ROW_TYPE =
      RowType.of(
          new LogicalType[] {new BigIntType(false), new VarCharType(false, 100), new VarCharType(false, 10)},
          new String[] {"id", "uuid", "kind"});
  // Enough unique values to overflow the 1 MiB default dictionary of the uuid column.
  private static final int ROWS = 40_000;

  @TempDir Path dir;
  private int fileNumber;

  @Test
  void columnsWhoseDictionaryFellBackAreWrittenPlainInTheNextFile() throws Exception {
    DictionaryAdvisor advisor = new DictionaryAdvisor();

    Set<String> first = advisor.nextFilePlainColumns();
    assertThat(first).isEmpty();
    ParquetMetadata firstFooter = write(first);
    assertThat(usesDictionary(firstFooter, "kind")).isTrue();
    assertThat(hasPlainPages(firstFooter, "uuid")).isTrue(); // tried the dictionary, fell back
    advisor.learn(firstFooter, first);

    Set<String> second = advisor.nextFilePlainColumns();
    assertThat(second).containsExactlyInAnyOrder("id", "uuid");
    ParquetMetadata secondFooter = write(second);
    assertThat(usesDictionary(secondFooter, "uuid")).isFalse();
    assertThat(usesDictionary(secondFooter, "id")).isFalse();
    assertThat(usesDictionary(secondFooter, "kind")).isTrue();
    advisor.learn(secondFooter, second);
    // A column written plain on purpose is not evidence either way: it stays plain.
    assertThat(advisor.nextFilePlainColumns()).containsExactlyInAnyOrder("id", "uuid");
  }

  @Test
  void everyProbeEveryFilesTriesTheDictionaryForEveryColumnAgain() throws Exception {
    DictionaryAdvisor advisor = new DictionaryAdvisor(3);
    Set<String> first = advisor.nextFilePlainColumns();
    advisor.learn(write(first), first);
    assertThat(advisor.nextFilePlainColumns()).containsExactlyInAnyOrder("id", "uuid");
    Set<String> probe = advisor.nextFilePlainColumns(); // third file
    assertThat(probe).isEmpty();
    ParquetMetadata probed = write(probe);
    assertThat(hasPlainPages(probed, "uuid")).isTrue();
    advisor.learn(probed, probe);
    assertThat(advisor.nextFilePlainColumns()).containsExactlyInAnyOrder("id", "uuid");
  }

  @Test
  void probeEveryMustBePositive() {
    assertThatThrownBy(() -> new DictionaryAdvisor(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private ParquetMetadata write(Set<String> plain) throws Exception {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(dir.resolve("f" + fileNumber++ + ".parquet").toUri());
    FileSystem fs = path.getFileSystem(conf);
    Map<String, String> metadata = new HashMap<>();
    try (ParquetFileAppender file =
        new ParquetFileAppender(
            fs,
            path,
            conf,
            new RowDataWriteSupport(ROW_TYPE, new int[] {0, 1, 2}, Collections.unmodifiableMap(metadata)),
            new ParquetFileAppender.Settings("SNAPPY", 128L << 20, 1L << 20),
            plain)) {
      String[] kinds = {"view", "click", "buy"};
      for (int i = 0; i < ROWS; i++) {
        file.write(GenericRowData.of((long) i, StringData.fromString(UUID.randomUUID().toString()),
            StringData.fromString(kinds[i % 3])));
      }
      file.close();
      return file.footer();
    }
  }

  private static EncodingStats stats(ParquetMetadata footer, String column) {
    for (ColumnChunkMetaData c : footer.getBlocks().get(0).getColumns()) {
      if (c.getPath().toDotString().equals(column)) {
        return c.getEncodingStats();
      }
    }
    throw new AssertionError("no column " + column);
  }

  private static boolean usesDictionary(ParquetMetadata footer, String column) {
    return stats(footer, column).hasDictionaryEncodedPages();
  }

  private static boolean hasPlainPages(ParquetMetadata footer, String column) {
    return stats(footer, column).hasNonDictionaryEncodedPages();
  }
}
