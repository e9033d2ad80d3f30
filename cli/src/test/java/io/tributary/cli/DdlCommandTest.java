package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DdlCommandTest {
  @TempDir static Path lake;

  @BeforeAll
  static void writeSilverTable() throws Exception {
    TestTables.writeItems(lake.resolve("silver/items").toString(), 60);
  }

  @Test
  void athenaRegistersNativeDeltaTablesAtTheirS3Location() {
    String ddl = run("athena", "--location", "s3://my-lake/silver/", "--database", "lake");
    assertThat(ddl).contains("CREATE DATABASE IF NOT EXISTS lake;")
        .contains("CREATE EXTERNAL TABLE IF NOT EXISTS lake.items\nLOCATION 's3://my-lake/silver/items/'\n"
            + "TBLPROPERTIES ('table_type' = 'DELTA');");
  }

  @Test
  void redshiftDeclaresColumnsPartitionsAndManifestLocations() {
    String ddl = run("redshift", "--location", "s3://my-lake/silver", "--iam-role", "arn:aws:iam::123456789012:role/spectrum");
    assertThat(ddl)
        .contains("CREATE EXTERNAL SCHEMA IF NOT EXISTS silver\nFROM DATA CATALOG DATABASE 'tributary_silver_spectrum'\n"
            + "IAM_ROLE 'arn:aws:iam::123456789012:role/spectrum'")
        .contains("CREATE EXTERNAL TABLE \"silver\".\"items\" (\n  \"id\" bigint,\n  \"name\" varchar(65535),\n"
            + "  \"price\" decimal(10,2),\n  \"ts\" timestamp\n)\nPARTITIONED BY (\"event_date\" date)")
        .contains("STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat'")
        .contains("LOCATION 's3://my-lake/silver/items/_symlink_format_manifest/';");
    for (String day : new String[] {"2024-10-04", "2024-10-05", "2024-10-06"}) {
      assertThat(ddl).contains("ALTER TABLE \"silver\".\"items\" ADD IF NOT EXISTS PARTITION (\"event_date\"='" + day + "')\n"
          + "LOCATION 's3://my-lake/silver/items/_symlink_format_manifest/event_date=" + day + "/';");
    }
  }

  /** CDC columns follow the source database, where user and order are ordinary column names. */
  @Test
  void redshiftIdentifiersAreQuotedSoReservedWordsWork() {
    assertThat(DdlCommand.quote("user")).isEqualTo("\"user\"");
    assertThat(DdlCommand.quote("order")).isEqualTo("\"order\"");
    assertThat(DdlCommand.quote("odd\"name")).isEqualTo("\"odd\"\"name\"");
  }

  @Test
  void unknownTargetIsAUsageError() {
    assertThat(DdlCommand.run(new String[] {"bigquery", "--lake", lake.toString()})).isEqualTo(2);
  }

  private static String run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--lake";
    all[args.length + 1] = lake.toString();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(DdlCommand.run(all)).isZero();
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
