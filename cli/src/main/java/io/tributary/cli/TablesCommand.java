package io.tributary.cli;

import io.tributary.cli.sql.SilverCatalog;
import io.tributary.delta.DeltaTableSummary;
import io.tributary.delta.DeltaTables;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tributary tables}: every silver table with its version, rows, files, partitions, size, last commit. */
@Command(name = "tables", mixinStandardHelpOptions = true,
    description = "List the Delta tables under <lake>/silver/ (and any given by path), read from their logs.")
final class TablesCommand implements Callable<Integer> {

  @Mixin SilverTableOptions source;

  @Override
  public Integer call() {
    SilverCatalog catalog = source.catalog();
    if (catalog.isEmpty()) {
      System.out.println("No Delta tables: " + source.noTables());
      return 0;
    }
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    source.hadoop.forEach(conf::set);
    io.delta.kernel.engine.Engine engine = DeltaTables.engine(conf);
    System.out.printf("%-28s %8s %12s %7s %10s %14s  %s%n", "table", "version", "rows", "files", "partitions", "bytes", "last commit (UTC)");
    for (SilverCatalog.Table t : catalog.tables().values()) {
      DeltaTableSummary s = DeltaTableSummary.of(engine, t.path());
      System.out.printf("%-28s %8d %,12d %7d %10d %,14d  %s%n",
          t.name(), s.version(), s.rows(), s.files(), s.partitions(), s.bytes(), Instant.ofEpochMilli(s.commitTimestamp()));
    }
    return 0;
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new TablesCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tributary tables: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }
}
