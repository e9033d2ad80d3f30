package io.tributary.delta.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strings written from rows read off the network (slices of one buffer) as from heap rows. */
class RowDataWriteSupportTest {
  private static final RowType ROW_TYPE =
      RowType.of(
          new LogicalType[] {new BigIntType(false), new VarCharType(true, 5000), new VarCharType(false, 5000)},
          new String[] {"id", "s", "t"});

  @TempDir Path dir;

  @Test
  void rowsDeserializedFromTheNetworkWriteTheSameFileAsHeapRows() throws Exception {
    Random random = new Random(3);
    String[] samples = {"", "page_view", "ünïcødé €𝄞 日本", "x".repeat(3000), "https://shop.example.com/p/P-2001"};
    List<RowData> heapRows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String s = i % 7 == 0 ? null : samples[random.nextInt(samples.length)] + (random.nextBoolean() ? "" : i);
      heapRows.add(GenericRowData.of((long) i, s == null ? null : StringData.fromString(s),
          StringData.fromString(samples[i % samples.length])));
    }
    // As a keyBy hands them on: serialized, then deserialized into BinaryRowData whose strings
    // are slices of the row's buffer.
    RowDataSerializer serializer = new RowDataSerializer(ROW_TYPE);
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    for (RowData row : heapRows) {
      serializer.serialize(row, out);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    List<RowData> networkRows = new ArrayList<>();
    for (int i = 0; i < heapRows.size(); i++) {
      networkRows.add(serializer.deserialize(in));
    }
    assertThat(networkRows.get(1).getString(2).getClass().getSimpleName()).isEqualTo("BinaryStringData");

    Path heapFile = write("heap.parquet", heapRows);
    Path networkFile = write("network.parquet", networkRows);

    assertThat(Files.readAllBytes(networkFile)).isEqualTo(Files.readAllBytes(heapFile));
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(networkFile.toUri())).build()) {
      for (RowData expected : heapRows) {
        Group g = reader.read();
        assertThat(g.getLong("id", 0)).isEqualTo(expected.getLong(0));
        assertThat(g.getFieldRepetitionCount("s") == 0 ? null : g.getString("s", 0))
            .isEqualTo(expected.isNullAt(1) ? null : expected.getString(1).toString());
        assertThat(g.getString("t", 0)).isEqualTo(expected.getString(2).toString());
      }
      assertThat(reader.read()).isNull();
    }
  }

  private Path write(String name, List<RowData> rows) throws Exception {
    Path file = dir.resolve(name);
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    try (ParquetFileAppender appender =
        new ParquetFileAppender(
            path.getFileSystem(conf),
            path,
            conf,
            new RowDataWriteSupport(ROW_TYPE, new int[] {0, 1, 2}, Collections.emptyMap()),
            new ParquetFileAppender.Settings("SNAPPY", 128L << 20, 64L << 10))) {
      for (RowData row : rows) {
        appender.write(row);
      }
    }
    return file;
  }
}
