package io.tributary.cli;

import io.delta.kernel.types.StructField;
import io.tributary.cli.sql.SilverCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The current-state views of CDC change-log tables: {@code <table>_current} holds, per primary
 * key, the latest change by source position ({@code source_commit_lsn}, {@code source_seq}),
 * unless it is a delete, with the source columns only. A table qualifies when it has the cdc-job's
 * metadata columns and records its key in the table property {@value #PRIMARY_KEY_PROPERTY}
 * (set by the cdc-job when it creates the table). The same SQL runs in DuckDB, Athena and Trino.
 */
final class SilverViews {
  static final String PRIMARY_KEY_PROPERTY = "tributary.cdc.primary-key";
  private static final Set<String> CDC_COLUMNS = Set.of("op", "source_commit_lsn", "source_seq", "is_deleted");

  private SilverViews() {}

  /** Registers every current-state view in DuckDB. */
  static void register(Connection c, SilverCatalog catalog) throws SQLException {
    for (SilverCatalog.Table table : catalog.tables().values()) {
      String sql = currentStateSql(table, "\"" + table.name() + "\"");
      if (sql != null) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE OR REPLACE VIEW \"" + table.name() + "_current\" AS " + sql);
        }
      }
    }
  }

  /** Athena (Trino) {@code CREATE VIEW} statements of the current-state views. */
  static List<String> athenaViews(SilverCatalog catalog, String database) {
    List<String> views = new ArrayList<>();
    for (SilverCatalog.Table table : catalog.tables().values()) {
      String sql = currentStateSql(table, database + "." + table.name());
      if (sql != null) {
        views.add("CREATE OR REPLACE VIEW " + database + "." + table.name() + "_current AS\n" + sql + ";");
      }
    }
    return views;
  }

  /** ", views: orders_current" for error messages, or "". */
  static String describe(SilverCatalog catalog) {
    List<String> names = catalog.tables().values().stream()
        .filter(t -> currentStateSql(t, t.name()) != null)
        .map(t -> t.name() + "_current")
        .collect(Collectors.toList());
    return names.isEmpty() ? "" : "; views: " + String.join(", ", names);
  }

  /** The current-state query of a CDC table, or null for any other table. */
  static String currentStateSql(SilverCatalog.Table table, String from) {
    List<String> columns = table.schema().fields().stream().map(StructField::getName).collect(Collectors.toList());
    String key = table.properties().get(PRIMARY_KEY_PROPERTY);
    if (!columns.containsAll(CDC_COLUMNS) || key == null || key.isBlank()) {
      return null;
    }
    List<String> keys = Arrays.stream(key.split(",")).map(String::trim).collect(Collectors.toList());
    if (!columns.containsAll(keys)) {
      return null;
    }
    // Source columns come before the metadata, which starts at op.
    List<String> source = columns.subList(0, columns.indexOf("op"));
    return "SELECT " + String.join(", ", source) + "\nFROM (\n  SELECT t.*, row_number() OVER (PARTITION BY "
        + String.join(", ", keys) + " ORDER BY source_commit_lsn DESC, source_seq DESC) AS rn\n  FROM " + from
        + " t\n) latest\nWHERE rn = 1 AND NOT is_deleted";
  }
}
