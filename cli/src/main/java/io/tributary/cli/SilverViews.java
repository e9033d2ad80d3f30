package io.tributary.cli;

import io.tributary.cli.sql.SilverCatalog;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Derived views over the silver tables, defined with the tables they derive from. Filled in as
 * the jobs land (the current state of the CDC tables).
 */
final class SilverViews {
  private SilverViews() {}

  static void register(Connection c, SilverCatalog catalog) throws SQLException {}

  static String describe(SilverCatalog catalog) {
    return "";
  }

  /** Athena (Trino dialect) CREATE VIEW statements for the derived views. */
  static java.util.List<String> athenaViews(SilverCatalog catalog, String database) {
    return java.util.List.of();
  }
}
