package io.tributary.cli;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.tributary.delta.DeltaTableSummary;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Arrays;

/** {@code tributary tables}: every Delta table under {@code <lake>/silver}, from its log. */
final class TablesCommand {
  static final Options.Spec OPTIONS =
      new Options.Spec("tables").option("lake", "./lakehouse", "lake directory; tables are under <lake>/silver/");

  private TablesCommand() {}

  static int run(Options o) {
    if (o.help) {
      System.out.println(o.help());
      return 0;
    }
    Path silver = Paths.get(o.get("lake")).toAbsolutePath().normalize().resolve("silver");
    File[] dirs = silver.toFile().listFiles(f -> new File(f, "_delta_log").isDirectory());
    if (dirs == null || dirs.length == 0) {
      System.out.println("No Delta tables under " + silver + " (run ./tributary local first).");
      return 0;
    }
    Arrays.sort(dirs);
    Engine engine = DefaultEngine.create(new org.apache.hadoop.conf.Configuration());
    System.out.printf("%-28s %8s %12s %7s %10s %12s  %s%n", "table", "version", "rows", "files", "partitions", "bytes", "last commit (UTC)");
    for (File dir : dirs) {
      DeltaTableSummary s = DeltaTableSummary.of(engine, dir.getAbsolutePath());
      System.out.printf(
          "%-28s %8d %,12d %7d %10d %,12d  %s%n",
          dir.getName(), s.version(), s.rows(), s.files(), s.partitions(), s.bytes(), Instant.ofEpochMilli(s.commitTimestamp()));
    }
    return 0;
  }
}
