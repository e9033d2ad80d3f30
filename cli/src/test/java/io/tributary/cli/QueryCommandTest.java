package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCommandTest {
  @TempDir static Path lake;

  @BeforeAll
  static void writeSilverTable() throws Exception {
    TestTables.writeItems(lake.resolve("silver/items").toString(), 300);
  }

  @Test
  void sqlSeesEveryRowWithItsTypesAndPartitionValues() {
    String out = run("SELECT count(*) AS n, count(name) AS named, sum(price) AS total, min(ts) AS first,"
        + " count(DISTINCT event_date) AS days FROM items");
    assertThat(out).contains("300 |").contains(" 270 |")
        .contains("45298.50") // sum(id * 1.01) for id < 300
        .contains("2024-10-04T00:00:00Z")
        .contains("(1 row)");

    String perDay = run("SELECT event_date, count(*) AS n FROM items GROUP BY 1 ORDER BY 1", "--format", "csv");
    assertThat(perDay).isEqualTo("event_date,n\n2024-10-04,100\n2024-10-05,100\n2024-10-06,100\n");

    String json = run("SELECT id, name, price, ts FROM items WHERE id IN (1, 10) ORDER BY id", "--format", "json");
    assertThat(json.split("\n")).containsExactly(
        "{\"id\":1,\"name\":\"name, \\\"1\\\"\",\"price\":1.01,\"ts\":\"2024-10-04T00:00:01Z\"}",
        "{\"id\":10,\"name\":null,\"price\":10.10,\"ts\":\"2024-10-04T00:00:10Z\"}");
  }

  @Test
  void onlyTheActiveFilesOfTheLatestVersionAreRead() {
    String path = lake.resolve("silver/items").toString();
    // Compaction leaves the replaced files on disk until vacuum: a directory scan would double count.
    assertThat(MaintainCommand.run(new String[] {"compact", path, "--min-files", "2"})).isZero();
    assertThat(run("SELECT count(*) AS n, count(DISTINCT id) AS ids FROM items", "--format", "csv"))
        .isEqualTo("n,ids\n300,300\n");
  }

  @Test
  void badSqlAndMissingTablesFailWithOneLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = QueryCommand.run(new String[] {"SELECT * FROM nope", "--lake", lake.toString()});
    } finally {
      System.setErr(saved);
    }
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope").contains("tables: items").doesNotContain("\tat ");
  }

  private static String run(String sql, String... options) {
    String[] args = new String[options.length + 3];
    args[0] = sql;
    args[1] = "--lake";
    args[2] = lake.toString();
    System.arraycopy(options, 0, args, 3, options.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(QueryCommand.run(args)).isZero();
    } finally {
      System.setOut(saved);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
