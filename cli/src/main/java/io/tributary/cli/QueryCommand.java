package io.tributary.cli;

import io.tributary.cli.sql.DuckDbViews;
import io.tributary.cli.sql.ResultPrinter;
import io.tributary.cli.sql.SilverCatalog;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary query "SQL"}: SQL over the silver tables with DuckDB (in-process), each table
 * a view over the active files of its latest Delta snapshot.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run SQL over the Delta silver tables. Every table under <lake>/silver/ is a view named after it,"
          + " reading exactly the files of its latest Delta version (DuckDB, in-process).",
      "Example: tributary query \"SELECT event_type, count(*) FROM atomic_events GROUP BY 1 ORDER BY 2 DESC\""
    })
public final class QueryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SQL", description = "The query (DuckDB SQL dialect).")
  String sql;

  @Mixin SilverTableOptions source;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (one object per line); default ${DEFAULT-VALUE}.")
  String format;

  @Option(names = "--warehouse", description = "Query the warehouse of a stopped `tributary local --warehouse` run"
      + " (its embedded PostgreSQL, started from <data-dir>/warehouse) instead of the silver tables; PostgreSQL SQL.")
  boolean warehouse;

  @Option(names = "--data-dir", defaultValue = "./.tributary", description = "Data directory of the local run, for --warehouse (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--max-rows", defaultValue = "1000", description = "Rows shown in table format (default ${DEFAULT-VALUE}).")
  long maxRows;

  @Override
  public Integer call() throws Exception {
    ResultPrinter printer = new ResultPrinter(formatOf(format), maxRows);
    if (warehouse) {
      return queryWarehouse(printer);
    }
    SilverCatalog catalog = source.catalog();
    if (catalog.isEmpty()) {
      System.err.println("tributary query: " + source.noTables());
      return 1;
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      new DuckDbViews(cacheDir(), source.hadoop).register(c, catalog);
      SilverViews.register(c, catalog);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        printer.print(rs, System.out);
      } catch (SQLException e) {
        System.err.println("tributary query: " + duckDbMessage(e));
        System.err.println("tables: " + String.join(", ", catalog.tables().keySet()) + SilverViews.describe(catalog));
        return 1;
      }
    }
    return 0;
  }

  /** Starts the local run's warehouse (it must not be running), runs the query there, stops it. */
  private int queryWarehouse(ResultPrinter printer) throws Exception {
    Path dir = dataDir.resolve(io.tributary.cli.local.LocalPlatform.WAREHOUSE_DIR);
    if (!java.nio.file.Files.isDirectory(dir)) {
      System.err.println("tributary query: no warehouse in " + dataDir + " (run ./tributary local --warehouse first)");
      return 1;
    }
    try (io.tributary.postgres.EmbeddedPostgres pg = io.tributary.postgres.EmbeddedPostgres.builder().dataDirectory(dir)
            .build().start();
        Connection c = pg.connect(io.tributary.cli.local.LocalPlatform.WAREHOUSE_DATABASE);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(sql)) {
        printer.print(rs, System.out);
      } catch (SQLException e) {
        System.err.println("tributary query: " + e.getMessage());
        return 1;
      }
    }
    return 0;
  }

  private static ResultPrinter.Format formatOf(String s) {
    for (ResultPrinter.Format f : ResultPrinter.Format.values()) {
      if (f.name().equalsIgnoreCase(s)) {
        return f;
      }
    }
    throw new CommandLine.ParameterException(new CommandLine(new QueryCommand()), "Unknown --format '" + s + "': use table, csv or json");
  }

  private static Path cacheDir() {
    return Paths.get(System.getProperty("user.home"), ".cache", "tributary", "query");
  }

  /** DuckDB's own error (with its LINE/caret pointer), without the JDBC driver's wrapper line. */
  static String duckDbMessage(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int wrapped = m.indexOf("\nError: ");
    return (wrapped >= 0 ? m.substring(wrapped + "\nError: ".length()) : m).trim();
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new QueryCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tributary query: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }
}
