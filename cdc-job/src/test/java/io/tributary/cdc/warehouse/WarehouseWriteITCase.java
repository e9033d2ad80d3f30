package io.tributary.cdc.warehouse;

import static io.tributary.cdc.warehouse.WarehouseTestTables.array;
import static io.tributary.cdc.warehouse.WarehouseTestTables.column;
import static io.tributary.cdc.warehouse.WarehouseTestTables.numeric;
import static io.tributary.cdc.warehouse.WarehouseTestTables.orders;
import static io.tributary.cdc.warehouse.WarehouseTestTables.row;
import static io.tributary.cdc.warehouse.WarehouseTestTables.type;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cdc.silver.SilverRow;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import io.tributary.postgres.PostgresExtension;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The statement executor against a real PostgreSQL warehouse: the guard, tombstones, evolution, types. */
class WarehouseWriteITCase {
  @RegisterExtension static final PostgresExtension WAREHOUSE = new PostgresExtension();

  private static final WarehouseDialect POSTGRES = WarehouseDialect.named("postgres");

  @BeforeAll
  static void database() {
    WAREHOUSE.server().createDatabase("dwh");
  }

  private static Connection connect() throws SQLException {
    return WAREHOUSE.server().connect("dwh");
  }

  private static void write(Connection c, SilverRow... rows) throws SQLException {
    WarehouseStatementExecutor executor = new WarehouseStatementExecutor(POSTGRES, "dw");
    executor.prepareStatements(c);
    for (SilverRow r : rows) {
      executor.addToBatch(r);
    }
    executor.executeBatch();
    executor.closeStatements();
  }

  private static SilverRow order(SilverSchema s, String op, long lsn, long seq, long id, String status) {
    return row(s, op, lsn, seq, id, status == null ? null : StringData.fromString(status),
        status == null ? null : DecimalData.fromBigDecimal(new BigDecimal("9.50"), 12, 2));
  }

  private static List<String> query(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          values.add(rs.getString(i));
        }
        out.add(String.join("|", values));
      }
    }
    return out;
  }

  @Test
  void olderChangesNeverOverwriteNewerOnesAndDeletesStayDeleted() throws Exception {
    SilverSchema s = orders();
    try (Connection c = connect()) {
      write(c, order(s, "c", 100, 0, 1, "new"), order(s, "u", 200, 0, 1, "paid"), order(s, "c", 100, 1, 2, "new"));
      assertThat(query(c, "SELECT id, status, amount, source_commit_lsn, source_seq, _deleted FROM dw.orders ORDER BY id"))
          .containsExactly("1|paid|9.50|200|0|f", "2|new|9.50|100|1|f");

      // A replay of what was written (after a restore) changes nothing.
      write(c, order(s, "c", 100, 0, 1, "new"), order(s, "u", 200, 0, 1, "paid"));
      assertThat(query(c, "SELECT status, source_commit_lsn FROM dw.orders WHERE id = 1")).containsExactly("paid|200");

      // Out of order within one batch: the newest position wins.
      write(c, order(s, "u", 400, 0, 1, "shipped"), order(s, "u", 300, 5, 1, "packed"), order(s, "u", 400, 0, 1, "shipped"));
      assertThat(query(c, "SELECT status, source_commit_lsn FROM dw.orders WHERE id = 1")).containsExactly("shipped|400");

      // A delete leaves a tombstone with the key only; replaying the insert cannot resurrect it.
      write(c, order(s, "d", 500, 0, 1, "shipped"), order(s, "c", 100, 0, 1, "new"));
      assertThat(query(c, "SELECT id, status, amount, _deleted, source_commit_lsn FROM dw.orders WHERE id = 1"))
          .containsExactly("1|null|null|t|500");
      assertThat(query(c, "SELECT id FROM dw.orders_current ORDER BY id")).containsExactly("2");

      // A later insert of the same key (the source re-used it) brings it back.
      write(c, order(s, "c", 600, 0, 1, "again"));
      assertThat(query(c, "SELECT id, status FROM dw.orders_current ORDER BY id")).containsExactly("1|again", "2|new");
      // A tombstone for a key never seen is kept too: an older insert arriving later stays hidden.
      write(c, order(s, "d", 700, 0, 3, null), order(s, "c", 650, 0, 3, "late"));
      assertThat(query(c, "SELECT _deleted FROM dw.orders WHERE id = 3")).containsExactly("t");
    }
  }

  @Test
  void newSourceColumnsAreAddedToTableAndView() throws Exception {
    SilverSchema v1 = new SilverSchema(new SourceTable(TableName.parse("shop.carts"),
        List.of(column("id", type("int8", "bigint")), column("total", numeric(10, 2))), List.of("id"), 'f'), 1);
    SilverSchema v2 = new SilverSchema(new SourceTable(TableName.parse("shop.carts"),
        List.of(column("id", type("int8", "bigint")), column("total", numeric(10, 2)), column("coupon", type("text", "text"))),
        List.of("id"), 'f'), 2);
    try (Connection c = connect()) {
      write(c, row(v1, "c", 10, 0, 1L, DecimalData.fromBigDecimal(new BigDecimal("1.00"), 10, 2)),
          row(v2, "u", 20, 0, 1L, DecimalData.fromBigDecimal(new BigDecimal("2.00"), 10, 2), StringData.fromString("X")),
          row(v1, "c", 15, 0, 2L, DecimalData.fromBigDecimal(new BigDecimal("3.00"), 10, 2)));
      assertThat(query(c, "SELECT * FROM dw.shop_carts_current ORDER BY id")).extracting(r -> r.split("\\|"))
          .satisfiesExactly(
              r -> assertThat(r).startsWith("1", "2.00", "20", "0").contains("X"),
              r -> assertThat(r).startsWith("2", "3.00", "15", "0").contains("null"));
      assertThat(query(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'dw' "
          + "AND table_name = 'shop_carts_current' ORDER BY ordinal_position"))
          .containsExactly("id", "total", "source_commit_lsn", "source_seq", "source_commit_ts", "_deleted", "_updated_at",
              "coupon");
    }
  }

  @Test
  void everyTypeKeepsItsValue() throws Exception {
    SilverSchema s = new SilverSchema(new SourceTable(TableName.parse("types"), List.of(
        column("id", type("int4", "integer")),
        column("b", type("bool", "boolean")),
        column("s", type("int2", "smallint")),
        column("f", type("float4", "real")),
        column("d", type("float8", "double precision")),
        column("n", numeric(20, 4)),
        column("un", type("numeric", "numeric")),
        column("dt", type("date", "date")),
        column("tm", type("time", "time without time zone")),
        column("ts", type("timestamp", "timestamp without time zone")),
        column("tz", type("timestamptz", "timestamp with time zone")),
        column("by", type("bytea", "bytea")),
        column("ia", array("int4", "integer[]")),
        column("ta", array("text", "text[]"))), List.of("id"), 'f'), 1);
    SilverRow full = row(s, "r", 1, 0, 1, true, (short) 7, 1.5f, 2.25d,
        DecimalData.fromBigDecimal(new BigDecimal("12345.6789"), 20, 4), StringData.fromString("NaN"),
        (int) java.time.LocalDate.of(2024, 2, 29).toEpochDay(), StringData.fromString("13:45:01.123456"),
        TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000)),
        TimestampData.fromEpochMillis(1_700_000_000_123L), new byte[] {0, 1, (byte) 255},
        new GenericArrayData(new Object[] {1, null, 3}),
        new GenericArrayData(new Object[] {StringData.fromString("a,b"), StringData.fromString("q\"t")}));
    SilverRow nulls = row(s, "r", 1, 1, 2);
    try (Connection c = connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("SET TIME ZONE 'UTC'");
      }
      write(c, full, nulls);
      assertThat(query(c, "SELECT id, b, s, f, d, n, un, dt, tm, ts, tz, encode(by, 'hex'), ia, ta FROM dw.types ORDER BY id"))
          .containsExactly(
              "1|t|7|1.5|2.25|12345.6789|NaN|2024-02-29|13:45:01.123456|2024-01-02 03:04:05.000006"
                  + "|2023-11-14 22:13:20.123+00|0001ff|{1,NULL,3}|{\"a,b\",\"q\\\"t\"}",
              "2|null|null|null|null|null|null|null|null|null|null|null|null|null");
    }
  }

  @Test
  void redshiftBatchesKeepOnlyTheNewestChangePerKey() {
    SilverSchema s = orders();
    List<SilverRow> rows = List.of(order(s, "c", 100, 0, 1, "a"), order(s, "c", 100, 1, 2, "b"),
        order(s, "u", 300, 0, 1, "c"), order(s, "u", 200, 0, 1, "old"));
    assertThat(WarehouseStatementExecutor.newestPerKey(rows)).extracting(SilverRow::toString)
        .containsExactly("public.orders@0/64#1", "public.orders@0/12C#0");
  }
}
