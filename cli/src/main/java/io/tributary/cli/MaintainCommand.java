package io.tributary.cli;

import io.tributary.delta.maintenance.CompactionReport;
import io.tributary.delta.maintenance.CompactionSettings;
import io.tributary.delta.maintenance.Compactor;
import io.tributary.delta.maintenance.MaintainedTable;
import io.tributary.delta.maintenance.SymlinkManifests;
import io.tributary.delta.maintenance.Vacuum;
import io.tributary.delta.maintenance.VacuumReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary maintain}: compaction, vacuum, log checkpoints and Redshift Spectrum manifests
 * for a Delta table, safe to run while the streaming jobs write to it.
 */
@Command(
    name = "maintain",
    description = "Keep a Delta table healthy: compact small files, vacuum unreferenced files, "
        + "write log checkpoints and Redshift Spectrum manifests. Safe next to running jobs.",
    mixinStandardHelpOptions = true,
    subcommands = {
      MaintainCommand.Compact.class,
      MaintainCommand.VacuumTable.class,
      MaintainCommand.Manifest.class,
      MaintainCommand.Checkpoint.class
    })
public final class MaintainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 2;
  }

  /** The table argument and storage options every subcommand takes. */
  static final class TableArgs {
    @Parameters(index = "0", paramLabel = "TABLE", description = "Table path: a local directory, file:/..., or s3a://bucket/prefix (s3:// works too).")
    String table;

    @Option(names = "--hadoop", paramLabel = "KEY=VALUE", description = "Hadoop/S3A option, e.g. fs.s3a.endpoint=http://localhost:9000 (repeatable).")
    Map<String, String> hadoop = new LinkedHashMap<>();

    MaintainedTable open() {
      return MaintainedTable.open(table, hadoop);
    }
  }

  @Command(name = "compact", mixinStandardHelpOptions = true,
      description = "Rewrite the small files of the partitions with the most of them into files near the target size "
          + "(one commit per partition, dataChange=false).")
  static final class Compact implements Callable<Integer> {
    @Mixin TableArgs args;

    @Option(names = "--target-size", defaultValue = "128mb", description = "Target file size (default ${DEFAULT-VALUE}).")
    String targetSize;

    @Option(names = "--small-file-size", description = "Files below this size are compacted (default: half the target size).")
    String smallFileSize;

    @Option(names = "--min-files", defaultValue = "5", description = "Compact a partition once it has this many small files (default ${DEFAULT-VALUE}).")
    int minFiles;

    @Option(names = "--max-partitions", defaultValue = "10", description = "Partitions per run, most small files first (default ${DEFAULT-VALUE}).")
    int maxPartitions;

    @Option(names = "--max-input", defaultValue = "8gb", description = "Input bytes per run (default ${DEFAULT-VALUE}).")
    String maxInput;

    @Option(names = "--partition", paramLabel = "COLUMN=VALUE", description = "Only this partition, e.g. event_date=2026-11-22 (repeat for more columns of one partition).")
    Map<String, String> partition = new LinkedHashMap<>();

    @Option(names = "--compression", defaultValue = "SNAPPY", description = "Parquet codec of the new files (default ${DEFAULT-VALUE}).")
    String compression;

    @Override
    public Integer call() {
      CompactionSettings.Builder settings = CompactionSettings.builder()
          .targetFileSize(MemorySize.parse(targetSize).getBytes())
          .minInputFiles(minFiles)
          .maxPartitions(maxPartitions)
          .maxInputBytes(MemorySize.parse(maxInput).getBytes())
          .compression(compression);
      if (smallFileSize != null) {
        settings.smallFileSize(MemorySize.parse(smallFileSize).getBytes());
      }
      if (!partition.isEmpty()) {
        settings.partition(partition);
      }
      MaintainedTable table = args.open();
      System.out.println("Compacting " + table.path() + " ...");
      CompactionReport report = new Compactor(table, settings.build()).compact();
      System.out.println(report);
      return 0;
    }
  }

  @Command(name = "vacuum", mixinStandardHelpOptions = true,
      description = "Delete data files the table no longer references (removed by compaction, orphans of failed "
          + "attempts) once older than the retention period.")
  static final class VacuumTable implements Callable<Integer> {
    @Mixin TableArgs args;

    @Option(names = "--retention", defaultValue = "7d", description = "Keep files younger than this, and files removed within it (default ${DEFAULT-VALUE}; minimum 7d unless --force).")
    String retention;

    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Allow a retention below 7 days (can break in-flight commits and readers of old versions).")
    boolean force;

    @Override
    public Integer call() {
      Duration keep = TimeUtils.parseDuration(retention);
      VacuumReport report = new Vacuum(args.open(), keep, dryRun, force).run();
      if (dryRun) {
        report.files().forEach(f -> System.out.println("  " + f));
      }
      System.out.println(report);
      return 0;
    }
  }

  @Command(name = "manifest", mixinStandardHelpOptions = true,
      description = "Write the Redshift Spectrum symlink manifests (_symlink_format_manifest/<partition>/manifest) "
          + "of every partition from the latest version, and delete stale ones.")
  static final class Manifest implements Callable<Integer> {
    @Mixin TableArgs args;

    @Override
    public Integer call() {
      MaintainedTable table = args.open();
      int written = new SymlinkManifests(table).writeAll();
      System.out.printf("Wrote %d manifests under %s/%s%n", written, table.path(), SymlinkManifests.DIRECTORY);
      return 0;
    }
  }

  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "Write a Delta log checkpoint of the latest version now (expired log files are then cleaned "
          + "up per delta.logRetentionDuration).")
  static final class Checkpoint implements Callable<Integer> {
    @Mixin TableArgs args;

    @Override
    public Integer call() {
      MaintainedTable table = args.open();
      long version = table.checkpoint();
      System.out.printf("Checkpointed %s at version %d%n", table.path(), version);
      return 0;
    }
  }

  /** Runs {@code tributary maintain <args>}; expected failures print one line, not a stack trace. */
  static int run(String[] args) {
    CommandLine cli = new CommandLine(new MaintainCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tributary maintain " + commandLine.getCommandName() + ": " + message(e));
      return 1;
    });
    return cli.execute(args);
  }

  private static String message(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }
}
