package io.tributary.cdc.source;

import io.tributary.cdc.silver.Lsns;
import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.TestSchemas;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionBufferTest {
  @TempDir Path dir;

  private static SilverRow row(SilverSchema schema, long seq) {
    Object[] values = new Object[schema.width()];
    values[0] = seq;
    values[1] = StringData.fromString("name-" + seq + "-" + "x".repeat(100));
    int base = schema.sourceColumnCount();
    values[base] = StringData.fromString("u");
    values[base + 1] = 0L;
    values[base + 3] = seq;
    values[base + 6] = false;
    return new SilverRow(schema, 0L, seq, values);
  }

  private long spillFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(TransactionBuffer.SPILL_PREFIX)).count();
    }
  }

  @Test
  void keepsSmallTransactionsInMemoryAndSpillsLargeOnesInOrder() throws Exception {
    SilverSchema schema = TestSchemas.orders();
    try (TransactionBuffer buffer = new TransactionBuffer(4096, new File[] {dir.toFile()}, "slot")) {
      for (long i = 0; i < 5; i++) {
        buffer.add(row(schema, i));
      }
      assertThat(buffer.spilledRows()).isZero();
      assertThat(spillFiles()).isZero();
      List<Long> seen = new ArrayList<>();
      buffer.drain(r -> seen.add(r.seq()));
      assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L);
      assertThat(buffer.isEmpty()).isTrue();

      for (long i = 0; i < 10_000; i++) {
        buffer.add(row(schema, i));
      }
      assertThat(buffer.size()).isEqualTo(10_000);
      assertThat(buffer.spilledRows()).as("all but the memory bound's worth of rows are on disk").isGreaterThan(9_900);
      assertThat(spillFiles()).isEqualTo(1);
      assertThat(Files.size(buffer.spillFile().toPath())).isGreaterThan(1_000_000);
      List<SilverRow> out = new ArrayList<>();
      buffer.drain(out::add);
      assertThat(out).hasSize(10_000);
      for (int i = 0; i < out.size(); i++) {
        assertThat(out.get(i).seq()).isEqualTo(i);
        assertThat(out.get(i).values()[0]).isEqualTo((long) i);
        assertThat(out.get(i).value("name").toString()).startsWith("name-" + i + "-");
      }
      assertThat(spillFiles()).as("the spill file is deleted once drained").isZero();
      assertThat(buffer.spillsStarted()).isEqualTo(1);
    }
  }

  @Test
  void closeAndFailedDrainsDeleteTheSpillFile() throws Exception {
    SilverSchema schema = TestSchemas.orders();
    TransactionBuffer buffer = new TransactionBuffer(1024, new File[] {dir.toFile()}, "slot");
    for (long i = 0; i < 1_000; i++) {
      buffer.add(row(schema, i));
    }
    assertThat(spillFiles()).isEqualTo(1);
    assertThatThrownBy(() -> buffer.drain(r -> {
      throw new IllegalStateException("downstream failed");
    })).hasMessage("downstream failed");
    assertThat(spillFiles()).isZero();
    assertThat(buffer.isEmpty()).isTrue();

    for (long i = 0; i < 1_000; i++) {
      buffer.add(row(schema, i));
    }
    assertThat(spillFiles()).isEqualTo(1);
    buffer.close();
    assertThat(spillFiles()).isZero();
  }

  @Test
  void stampsTheCommitPositionAtTheEnd() throws Exception {
    SilverSchema schema = TestSchemas.orders();
    ChangeEventConverter converter =
        new ChangeEventConverter(schema, "db.example", "shop", null, new ToastPlaceholder(ToastPlaceholder.DEFAULT));
    SilverRow stamped = converter.atCommit(row(schema, 7), 0x1234_5678L, 1_000L);
    assertThat(stamped.commitLsn()).isEqualTo(0x1234_5678L);
    assertThat(stamped.seq()).isEqualTo(7);
    assertThat(stamped.value(SilverSchema.COMMIT_LSN)).isEqualTo(0x1234_5678L);
    assertThat(stamped.value(SilverSchema.SEQ)).isEqualTo(7L);
    assertThat(stamped.value(SilverSchema.SOURCE_FILENAME).toString())
        .isEqualTo("postgres://db.example/shop/public.orders@" + Lsns.format(0x1234_5678L));
    assertThat(stamped.value("id")).isEqualTo(7L);
  }
}
