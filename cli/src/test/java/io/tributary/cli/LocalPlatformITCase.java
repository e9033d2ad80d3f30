package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.local.LocalPlatform;
import io.tributary.cli.local.LocalSettings;
import io.tributary.cli.local.LocalSummary;
import io.tributary.cli.sql.DuckDbViews;
import io.tributary.cli.sql.SilverCatalog;
import io.tributary.postgres.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command end to end: {@code tributary local} for a bounded time, then again
 * with {@code --keep}, checking the silver tables against what was produced and against
 * PostgreSQL, and (with {@code --warehouse}) the warehouse against PostgreSQL row by row.
 */
class LocalPlatformITCase {
  @TempDir Path dir;

  @Test
  void runsTheWholePlatformAndResumesWithoutLossOrDuplicates() throws Exception {
    LocalSummary first = run(false, Duration.ofSeconds(25));
    assertThat(first.complete()).as("first run committed everything it produced").isTrue();
    assertThat(first.orders().produced("update")).isPositive();
    assertThat(first.orders().produced("delete")).isPositive();
    assertThat(first.events().produced("malformed")).isPositive();
    assertSilverMatchesSources(first.events().produced("valid"), first.events().produced("malformed"));

    LocalSummary second = run(true, Duration.ofSeconds(15));
    assertThat(second.complete()).as("the resumed run committed everything it produced").isTrue();
    assertThat(second.orders().produced("insert")).isPositive();
    assertSilverMatchesSources(first.events().produced("valid") + second.events().produced("valid"),
        first.events().produced("malformed") + second.events().produced("malformed"));
  }

  private LocalSummary run(boolean keep, Duration duration) throws Exception {
    LocalSettings settings = new LocalSettings(dir.resolve("data"), dir.resolve("lake"), keep, Optional.of(duration),
        8, 40, 0.05, 0.02, Duration.ofSeconds(1), Optional.empty(), "postgres", Optional.empty(), "us-east-1",
        "web-events", 2, 2, 0, 7, true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LocalSummary summary = new LocalPlatform(settings, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(text).contains("Flink web UI:      http://127.0.0.1:").contains("Summary").contains("  files:   orders ");
    // In-job maintenance keeps every partition small (a file per writer per 1 s checkpoint without it).
    assertThat(summary.tableFiles()).extracting(LocalSummary.TableFiles::table)
        .containsExactly("orders", "atomic_events", "atomic_events_quarantine");
    assertThat(summary.tableFiles()).allSatisfy(t -> assertThat(t.maxPerPartition()).as(t.toString()).isLessThanOrEqualTo(20));
    // --warehouse: the warehouse's orders_current equals the source table row by row.
    assertThat(summary.warehouse()).hasValueSatisfying(w -> {
      assertThat(w.equal()).as(w.toString()).isTrue();
      assertThat(w.sourceRows()).isPositive();
    });
    assertThat(text).contains("  warehouse: ");
    assertThat(QueryCommand.run(new String[] {"--warehouse", "--data-dir", dir.resolve("data").toString(),
        "SELECT count(*) FROM orders_current"})).isZero();
    return summary;
  }

  /** Row by row: every event id once, and orders_current equals the orders table in PostgreSQL. */
  private void assertSilverMatchesSources(long validEvents, long malformed) throws Exception {
    SilverCatalog catalog = SilverCatalog.load(dir.resolve("lake"), Map.of(), Map.of());
    assertThat(catalog.tables().keySet()).contains("orders", "atomic_events", "atomic_events_quarantine");
    List<List<String>> postgres;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().dataDirectory(dir.resolve("data/postgres")).build().start();
        Connection c = pg.connect("shop")) {
      postgres = rows(c, "SELECT id, product_name, price, quantity, customer_id, status, created_at, updated_at FROM orders ORDER BY id");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      new DuckDbViews(dir.resolve("cache"), Map.of()).register(c, catalog);
      SilverViews.register(c, catalog);
      assertThat(rows(c, "SELECT count(*), count(DISTINCT event_id) FROM atomic_events"))
          .containsExactly(List.of(Long.toString(validEvents), Long.toString(validEvents)));
      assertThat(rows(c, "SELECT count(*) FROM atomic_events_quarantine"))
          .containsExactly(List.of(Long.toString(malformed)));
      assertThat(rows(c, "SELECT count(*) FROM atomic_events WHERE event_date <> CAST(event_timestamp AS DATE)"))
          .containsExactly(List.of("0"));
      List<List<String>> current = rows(c,
          "SELECT id, product_name, price, quantity, customer_id, status, created_at, updated_at FROM orders_current ORDER BY id");
      assertThat(current).as("orders_current equals the PostgreSQL table").isEqualTo(postgres);
      assertThat(current).isNotEmpty();
    }
  }

  /** Rows as strings; timestamps as instants so both engines print them alike. */
  private static List<List<String>> rows(Connection c, String sql) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.time.OffsetDateTime) {
            v = ((java.time.OffsetDateTime) v).toInstant();
          } else if (v instanceof java.sql.Timestamp) {
            v = ((java.sql.Timestamp) v).toInstant();
          } else if (v instanceof java.math.BigDecimal) {
            v = ((java.math.BigDecimal) v).toPlainString();
          }
          row.add(v == null ? null : v.toString());
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
