package io.tributary.cdc.warehouse;

import static io.tributary.cdc.warehouse.WarehouseTestTables.array;
import static io.tributary.cdc.warehouse.WarehouseTestTables.column;
import static io.tributary.cdc.warehouse.WarehouseTestTables.numeric;
import static io.tributary.cdc.warehouse.WarehouseTestTables.orders;
import static io.tributary.cdc.warehouse.WarehouseTestTables.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cdc.silver.PgColumnType;
import io.tributary.cdc.silver.SilverSchema;
import io.tributary.cdc.silver.SourceTable;
import io.tributary.cdc.silver.TableName;
import java.util.List;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;

/** The generated SQL of both dialects and the type mapping. */
class WarehouseDialectTest {
  private final WarehouseDialect postgres = WarehouseDialect.named("postgres");
  private final WarehouseDialect redshift = WarehouseDialect.named("redshift");
  private final WarehouseTable orders = new WarehouseTable("analytics", orders());

  @Test
  void postgresUpsertIsGuardedByThePosition() {
    assertThat(postgres.rowStatement(orders)).isEqualTo(
        "INSERT INTO \"analytics\".\"orders\" AS w (\"id\", \"status\", \"amount\", \"source_commit_lsn\", "
            + "\"source_seq\", \"source_commit_ts\", \"_deleted\", \"_updated_at\") VALUES (?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (\"id\") DO UPDATE SET \"status\" = EXCLUDED.\"status\", \"amount\" = EXCLUDED.\"amount\", "
            + "\"source_commit_lsn\" = EXCLUDED.\"source_commit_lsn\", \"source_seq\" = EXCLUDED.\"source_seq\", "
            + "\"source_commit_ts\" = EXCLUDED.\"source_commit_ts\", \"_deleted\" = EXCLUDED.\"_deleted\", "
            + "\"_updated_at\" = EXCLUDED.\"_updated_at\" "
            + "WHERE (w.\"source_commit_lsn\" < EXCLUDED.\"source_commit_lsn\" OR (w.\"source_commit_lsn\" = "
            + "EXCLUDED.\"source_commit_lsn\" AND w.\"source_seq\" < EXCLUDED.\"source_seq\"))");
    assertThat(postgres.beforeRows(orders)).isEmpty();
    assertThat(postgres.afterRows(orders)).isEmpty();
    assertThat(postgres.collapsesBatch()).isFalse();
  }

  @Test
  void postgresTableViewAndNewColumns() {
    assertThat(postgres.createTable(orders)).isEqualTo(
        "CREATE TABLE IF NOT EXISTS \"analytics\".\"orders\" (\"id\" BIGINT NOT NULL, \"status\" TEXT, "
            + "\"amount\" NUMERIC(12,2), \"source_commit_lsn\" BIGINT NOT NULL, \"source_seq\" BIGINT NOT NULL, "
            + "\"source_commit_ts\" TIMESTAMPTZ, \"_deleted\" BOOLEAN NOT NULL, \"_updated_at\" TIMESTAMPTZ NOT NULL, "
            + "PRIMARY KEY (\"id\"))");
    assertThat(postgres.createView(orders)).isEqualTo(
        "CREATE OR REPLACE VIEW \"analytics\".\"orders_current\" AS SELECT * FROM \"analytics\".\"orders\" "
            + "WHERE NOT \"_deleted\"");
    WarehouseTable evolved = new WarehouseTable("analytics", orders(column("note", type("varchar", "character varying(20)"))));
    assertThat(postgres.addColumn(evolved, "note"))
        .isEqualTo("ALTER TABLE \"analytics\".\"orders\" ADD COLUMN IF NOT EXISTS \"note\" TEXT");
  }

  @Test
  void redshiftStagesTheBatchDropsWhatIsNotNewerAndMerges() {
    assertThat(redshift.prepare(orders)).containsExactly(
        "DROP TABLE IF EXISTS \"tributary_stage_orders\"",
        "CREATE TEMP TABLE \"tributary_stage_orders\" (LIKE \"analytics\".\"orders\")");
    assertThat(redshift.beforeRows(orders)).containsExactly("DELETE FROM \"tributary_stage_orders\"");
    assertThat(redshift.rowStatement(orders)).isEqualTo(
        "INSERT INTO \"tributary_stage_orders\" (\"id\", \"status\", \"amount\", \"source_commit_lsn\", \"source_seq\", "
            + "\"source_commit_ts\", \"_deleted\", \"_updated_at\") VALUES (?, ?, ?, ?, ?, ?, ?, GETDATE())");
    List<String> after = redshift.afterRows(orders);
    assertThat(after).hasSize(3);
    assertThat(after.get(0)).isEqualTo(
        "DELETE FROM \"tributary_stage_orders\" USING \"analytics\".\"orders\" w "
            + "WHERE \"tributary_stage_orders\".\"id\" = w.\"id\" AND NOT (w.\"source_commit_lsn\" < "
            + "\"tributary_stage_orders\".\"source_commit_lsn\" OR (w.\"source_commit_lsn\" = "
            + "\"tributary_stage_orders\".\"source_commit_lsn\" AND w.\"source_seq\" < "
            + "\"tributary_stage_orders\".\"source_seq\"))");
    assertThat(after.get(1)).isEqualTo(
        "MERGE INTO \"analytics\".\"orders\" USING \"tributary_stage_orders\" ON "
            + "\"analytics\".\"orders\".\"id\" = \"tributary_stage_orders\".\"id\" WHEN MATCHED THEN UPDATE SET "
            + "\"status\" = \"tributary_stage_orders\".\"status\", \"amount\" = \"tributary_stage_orders\".\"amount\", "
            + "\"source_commit_lsn\" = \"tributary_stage_orders\".\"source_commit_lsn\", "
            + "\"source_seq\" = \"tributary_stage_orders\".\"source_seq\", "
            + "\"source_commit_ts\" = \"tributary_stage_orders\".\"source_commit_ts\", "
            + "\"_deleted\" = \"tributary_stage_orders\".\"_deleted\", "
            + "\"_updated_at\" = \"tributary_stage_orders\".\"_updated_at\" "
            + "WHEN NOT MATCHED THEN INSERT (\"id\", \"status\", \"amount\", \"source_commit_lsn\", \"source_seq\", "
            + "\"source_commit_ts\", \"_deleted\", \"_updated_at\") VALUES (\"tributary_stage_orders\".\"id\", "
            + "\"tributary_stage_orders\".\"status\", \"tributary_stage_orders\".\"amount\", "
            + "\"tributary_stage_orders\".\"source_commit_lsn\", \"tributary_stage_orders\".\"source_seq\", "
            + "\"tributary_stage_orders\".\"source_commit_ts\", \"tributary_stage_orders\".\"_deleted\", "
            + "\"tributary_stage_orders\".\"_updated_at\")");
    assertThat(after.get(2)).isEqualTo("DELETE FROM \"tributary_stage_orders\"");
    assertThat(redshift.collapsesBatch()).isTrue();
    WarehouseTable evolved = new WarehouseTable("analytics", orders(column("note", type("text", "text"))));
    assertThat(redshift.addColumn(evolved, "note"))
        .isEqualTo("ALTER TABLE \"analytics\".\"orders\" ADD COLUMN \"note\" VARCHAR(65535)");
    assertThat(redshift.createTable(orders)).contains("\"status\" VARCHAR(65535)").endsWith("PRIMARY KEY (\"id\"))");
  }

  @Test
  void compositeKeysMatchOnEveryKeyColumn() {
    SilverSchema lines = new SilverSchema(new SourceTable(TableName.parse("sales.lines"),
        List.of(column("order_id", type("int8", "bigint")), column("line", type("int4", "integer")),
            column("qty", type("int4", "integer"))), List.of("order_id", "line"), 'd'), 1);
    WarehouseTable t = new WarehouseTable("dw", lines);
    assertThat(t.name()).isEqualTo("sales_lines");
    assertThat(postgres.rowStatement(t)).contains("ON CONFLICT (\"order_id\", \"line\") DO UPDATE SET \"qty\" = ");
    assertThat(redshift.afterRows(t).get(1)).contains(
        "ON \"dw\".\"sales_lines\".\"order_id\" = \"tributary_stage_sales_lines\".\"order_id\" AND "
            + "\"dw\".\"sales_lines\".\"line\" = \"tributary_stage_sales_lines\".\"line\" WHEN MATCHED");
  }

  @Test
  void typesFollowTheSilverSchema() {
    Object[][] cases = {
      {type("bool", "boolean"), "BOOLEAN", "BOOLEAN"},
      {type("int2", "smallint"), "SMALLINT", "SMALLINT"},
      {type("int4", "integer"), "INTEGER", "INTEGER"},
      {type("int8", "bigint"), "BIGINT", "BIGINT"},
      {type("float4", "real"), "REAL", "REAL"},
      {type("float8", "double precision"), "DOUBLE PRECISION", "DOUBLE PRECISION"},
      {numeric(38, 10), "NUMERIC(38,10)", "NUMERIC(38,10)"},
      {type("numeric", "numeric"), "TEXT", "VARCHAR(65535)"},
      {type("jsonb", "jsonb"), "TEXT", "VARCHAR(65535)"},
      {type("uuid", "uuid"), "TEXT", "VARCHAR(65535)"},
      {type("date", "date"), "DATE", "DATE"},
      {type("time", "time without time zone"), "TIME", "TIME"},
      {type("timestamp", "timestamp without time zone"), "TIMESTAMP", "TIMESTAMP"},
      {type("timestamptz", "timestamp with time zone"), "TIMESTAMPTZ", "TIMESTAMPTZ"},
      {type("bytea", "bytea"), "BYTEA", "VARBYTE(1024000)"},
    };
    for (Object[] c : cases) {
      PgColumnType t = (PgColumnType) c[0];
      assertThat(postgres.columnType(t)).as("postgres " + t).isEqualTo(c[1]);
      assertThat(redshift.columnType(t)).as("redshift " + t).isEqualTo(c[2]);
    }
    PgColumnType ints = array("int4", "integer[]");
    assertThat(postgres.columnType(ints)).isEqualTo("INTEGER[]");
    assertThat(postgres.marker(ints)).isEqualTo("CAST(? AS INTEGER[])");
    assertThatThrownBy(() -> redshift.columnType(ints)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arrays are not supported");
    WarehouseTable withArray = new WarehouseTable("dw", orders(column("tags", array("text", "text[]"))));
    assertThat(withArray.problems(redshift)).singleElement().asString().contains("orders.tags");
    assertThat(withArray.problems(postgres)).isEmpty();
  }

  @Test
  void tablesWithoutKeyOrWithClashingNamesAreRefused() {
    SilverSchema noKey = new SilverSchema(new SourceTable(TableName.parse("logs"),
        List.of(column("line", type("text", "text")), column("_deleted", type("bool", "boolean"))), List.of(), 'f'), 1);
    assertThat(new WarehouseTable("dw", noKey).problems(postgres)).containsExactly(
        "public.logs has no primary key: its current state has no key to upsert by",
        "column public.logs._deleted clashes with the warehouse column of that name");
  }

  @Test
  void arraysAreBoundAsEscapedLiterals() {
    GenericArrayData tags = new GenericArrayData(new Object[] {
      StringData.fromString("a,b"), StringData.fromString("q\"t"), null, StringData.fromString("back\\slash")});
    assertThat(RowBinder.arrayLiteral(tags, type("text", "text"))).isEqualTo("{\"a,b\",\"q\\\"t\",NULL,\"back\\\\slash\"}");
  }

  @Test
  void unknownDialectIsRefused() {
    assertThatThrownBy(() -> WarehouseDialect.named("oracle")).hasMessageContaining("postgres or redshift");
  }
}
