package io.tributary.cli;

import io.tributary.cli.sql.SilverCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which silver tables a command reads: the lake's tables plus any named by path (picocli mixin). */
final class SilverTableOptions {
  @Option(names = "--lake", defaultValue = "./lakehouse", description = "Lake directory; tables are its silver/ subdirectories (default ${DEFAULT-VALUE}).")
  Path lake;

  @Option(names = "--table", paramLabel = "NAME=PATH", description = "Another table by path, e.g. orders=s3a://bucket/silver/orders (repeatable).")
  Map<String, String> tables = new LinkedHashMap<>();

  @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "Hadoop/S3A option for s3a:// tables (repeatable).")
  Map<String, String> hadoop = new LinkedHashMap<>();

  Path silverDirectory() {
    return lake.toAbsolutePath().normalize().resolve("silver");
  }

  SilverCatalog catalog() {
    return SilverCatalog.load(lake.toAbsolutePath().normalize(), tables, hadoop);
  }

  /** What to print when there is no table at all. */
  String noTables() {
    return "no tables under " + silverDirectory() + " (run ./tributary local first, or pass --lake / --table)";
  }
}
