package io.tributary.cdc.source;

import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.TestSchemas;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.TimestampData;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Debezium-event-to-silver-row transformation, without Flink or PostgreSQL. */
class ChangeEventConverterTest {
  private static final Schema ZONED = SchemaBuilder.string().optional().name("io.debezium.time.ZonedTimestamp").build();
  private static final Schema ROW =
      SchemaBuilder.struct().name("tributary.public.orders.Value").optional()
          .field("id", Schema.INT64_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("amount", Schema.OPTIONAL_STRING_SCHEMA)
          .field("created_at", ZONED)
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
          .build();
  private static final Schema SOURCE =
      SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
          .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct().field("before", ROW).field("after", ROW).field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA).build();
  private static final long COMMIT_US = Instant.parse("2024-03-05T23:59:59.5Z").toEpochMilli() * 1000;

  private final ChangeEventConverter converter =
      new ChangeEventConverter(TestSchemas.orders(), "db.example", "shop", "created_at",
          new ToastPlaceholder(ToastPlaceholder.DEFAULT));

  private static Struct row(long id, String name, String amount, String created) {
    return new Struct(ROW).put("id", id).put("name", name).put("amount", amount).put("created_at", created)
        .put("tags", List.of(1, 2));
  }

  private static Struct event(String op, Struct before, Struct after) {
    Struct source = new Struct(SOURCE).put("ts_ms", COMMIT_US / 1000).put("ts_us", COMMIT_US).put("snapshot", "false")
        .put("schema", "public").put("table", "orders").put("txId", 777L).put("lsn", 0x1000L);
    return new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source).put("op", op);
  }

  private static Object col(SilverRow r, String name) {
    return r.value(name);
  }

  @Test
  void insertCarriesTheAfterImageMetadataAndEtlColumns() throws Exception {
    SilverRow r = converter.convert(event("c", null, row(1, "a", "12.50", "2024-07-01T23:30:00+02:00")), 0x2000L, 3, 5000L);
    assertThat(col(r, "id")).isEqualTo(1L);
    assertThat(((DecimalData) col(r, "amount")).toBigDecimal()).isEqualTo(new BigDecimal("12.50"));
    assertThat(col(r, "created_at")).isEqualTo(TimestampData.fromInstant(Instant.parse("2024-07-01T21:30:00Z")));
    assertThat(((GenericArrayData) col(r, "tags")).toObjectArray()).containsExactly(1, 2);
    assertThat(col(r, "op").toString()).isEqualTo("c");
    assertThat(col(r, "source_commit_lsn")).isEqualTo(0x2000L);
    assertThat(col(r, "source_lsn")).isEqualTo(0x1000L);
    assertThat(col(r, "source_seq")).isEqualTo(3L);
    assertThat(col(r, "source_txid")).isEqualTo(777L);
    assertThat(col(r, "source_commit_ts")).isEqualTo(ValueConverter.micros(COMMIT_US));
    assertThat(col(r, "is_deleted")).isEqualTo(false);
    assertThat(col(r, "etl_timestamp")).isEqualTo(TimestampData.fromEpochMillis(5000L));
    assertThat(col(r, "event_date")).isEqualTo((int) LocalDate.of(2024, 7, 1).toEpochDay());
    assertThat(col(r, "source_filename").toString()).isEqualTo("postgres://db.example/shop/public.orders@0/2000");
    assertThat(r.commitLsn()).isEqualTo(0x2000L);
    assertThat(r.seq()).isEqualTo(3L);
  }

  @Test
  void eventDateFallsBackToTheCommitTimestamp() throws Exception {
    SilverRow r = converter.convert(event("c", null, row(1, "a", null, null)), 1, 0, 0);
    assertThat(col(r, "event_date")).isEqualTo((int) LocalDate.of(2024, 3, 5).toEpochDay());
  }

  @Test
  void unchangedToastedValuesComeFromTheBeforeImageOrBecomeNull() throws Exception {
    String toast = ToastPlaceholder.DEFAULT;
    SilverRow full = converter.convert(event("u", row(1, "old name", "1.00", null), row(1, toast, "2.00", null)), 1, 0, 0);
    assertThat(col(full, "name").toString()).isEqualTo("old name");
    assertThat(((DecimalData) col(full, "amount")).toBigDecimal()).isEqualTo(new BigDecimal("2.00"));

    SilverRow noBefore = converter.convert(event("u", null, row(1, toast, "2.00", null)), 2, 0, 0);
    assertThat(col(noBefore, "name")).isNull();

    Struct after = row(1, "n", "2.00", null).put("tags", List.of((int) '_', (int) '_'));
    Struct arrayToast = row(1, "n", "2.00", null);
    java.util.List<Integer> placeholderInts = new java.util.ArrayList<>();
    for (byte b : toast.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      placeholderInts.add((int) b);
    }
    arrayToast.put("tags", placeholderInts);
    SilverRow array = converter.convert(event("u", null, arrayToast), 3, 0, 0);
    assertThat(col(array, "tags")).isNull();
    assertThat(converter.convert(event("u", null, after), 4, 0, 0).value("tags")).isNotNull();
  }

  @Test
  void deleteCarriesTheBeforeImage() throws Exception {
    Struct keyOnly = new Struct(ROW).put("id", 9L);
    SilverRow r = converter.convert(event("d", keyOnly, null), 1, 0, 0);
    assertThat(col(r, "id")).isEqualTo(9L);
    assertThat(col(r, "name")).isNull();
    assertThat(col(r, "is_deleted")).isEqualTo(true);
    assertThat(col(r, "op").toString()).isEqualTo("d");
  }

  @Test
  void snapshotReadsAreOpR() throws Exception {
    SilverRow r = converter.convert(event("r", null, row(1, "a", "1.00", null)), 1, 0, 0);
    assertThat(col(r, "op").toString()).isEqualTo("r");
    assertThat(converter.convert(event("t", null, null), 1, 0, 0)).isNull();
  }

  @Test
  void unknownColumnsAskForASchemaReload() {
    Schema wider = SchemaBuilder.struct().optional().field("id", Schema.INT64_SCHEMA).field("extra", Schema.OPTIONAL_INT32_SCHEMA).build();
    Schema envelope = SchemaBuilder.struct().field("before", wider).field("after", wider).field("source", SOURCE)
        .field("op", Schema.STRING_SCHEMA).build();
    Struct source = new Struct(SOURCE).put("ts_ms", 1L).put("schema", "public").put("table", "orders");
    Struct e = new Struct(envelope).put("after", new Struct(wider).put("id", 1L).put("extra", 5)).put("source", source).put("op", "c");
    assertThatThrownBy(() -> converter.convert(e, 1, 0, 0))
        .isInstanceOf(ChangeEventConverter.UnknownColumnsException.class)
        .satisfies(t -> assertThat(((ChangeEventConverter.UnknownColumnsException) t).columns()).containsExactly("extra"));
  }
}
