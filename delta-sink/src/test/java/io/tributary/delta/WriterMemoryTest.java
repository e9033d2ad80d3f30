package io.tributary.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap the writer holds for rows spread over many partitions (issue 22 item 9), measured as heap
 * in use after full collections, with a table shaped like {@code atomic_events} (16 data columns).
 * Before the fix each open file held a compression buffer of the page size (1 MiB) from its first
 * row: 64 open files of one row each retained 86 MiB.
 */
class WriterMemoryTest {
  private static final RowType EVENTS_LIKE = eventsLike();

  @TempDir Path tmp;

  @Test
  void openFilesOfOneRowEachHoldLittleHeap() throws Exception {
    DeltaSink sink = DeltaSink.forRowData(EVENTS_LIKE).tablePath(tmp.resolve("t").toString())
        .partitionColumns("event_date").build();
    DeltaWriter writer = (DeltaWriter) sink.createWriter(SinkParts.context(null));
    long before = heapAfterGc();
    int maxOpen = sink.config().maxOpenFiles();
    for (int i = 0; i < maxOpen; i++) {
      writer.write(row(i), null);
    }
    long perOpenFile = (heapAfterGc() - before) / maxOpen;
    // Then many more dates: files are closed as the cap evicts them; each closed file keeps only
    // its description for the commit.
    int dates = 1_000;
    for (int i = maxOpen; i < dates; i++) {
      writer.write(row(i), null);
    }
    Collection<DeltaWriteResult> results = writer.prepareCommit();
    writer.close();
    List<DataFile> files = new ArrayList<>();
    results.forEach(r -> files.addAll(r.files()));
    // What stays until the commit is each closed file's description; its serialized form (writer
    // to aggregator to committer state) is a deterministic measure of it (a heap delta of a few
    // MiB drowns in the noise of full collections).
    long perClosedFile = 0;
    for (DeltaWriteResult r : results) {
      perClosedFile += new DeltaWriteResult.Serializer().serialize(r).length;
    }
    perClosedFile /= dates;
    System.out.printf("WriterMemoryTest: %.0f KiB per open file, %d B per closed file's description%n",
        perOpenFile / 1024.0, perClosedFile);

    assertThat(files).hasSize(dates);
    assertThat(files.stream().mapToLong(DataFile::numRecords).sum()).isEqualTo(dates);
    assertThat(perOpenFile).as("bytes retained per open one-row file").isLessThan(512 * 1024);
    assertThat(perClosedFile).as("serialized bytes per closed file's description").isLessThan(4 * 1024);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static RowType eventsLike() {
    List<LogicalType> types = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      types.add(new VarCharType(VarCharType.MAX_LENGTH));
      names.add("s" + i);
    }
    types.add(new IntType());
    names.add("v");
    types.add(new LocalZonedTimestampType(6));
    names.add("t1");
    types.add(new LocalZonedTimestampType(3));
    names.add("t2");
    types.add(new DateType());
    names.add("event_date");
    return RowType.of(types.toArray(new LogicalType[0]), names.toArray(new String[0]));
  }

  private static RowData row(int i) {
    Object[] v = new Object[17];
    for (int c = 0; c < 13; c++) {
      v[c] = StringData.fromString("value-" + c + "-" + i + "-with-some-text-to-be-realistic");
    }
    v[13] = i;
    v[14] = TimestampData.fromEpochMillis(1_700_000_000_000L + i);
    v[15] = TimestampData.fromEpochMillis(1_700_000_000_000L);
    v[16] = i; // event_date: a day of its own
    return GenericRowData.of(v);
  }
}
