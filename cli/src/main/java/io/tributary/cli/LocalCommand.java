package io.tributary.cli;

import io.tributary.cli.local.LocalPlatform;
import io.tributary.cli.local.LocalSettings;
import io.tributary.cli.local.LocalSummary;
import io.tributary.producers.Rate;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary local}: the whole platform on this machine (see {@link LocalPlatform}). */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = {
      "Run Tributary locally: embedded PostgreSQL and a Kinesis emulator on 127.0.0.1, the orders and web-events"
          + " producers, and cdc-job + events-job on a Flink MiniCluster (web UI on a free port), writing Delta tables"
          + " orders, atomic_events and atomic_events_quarantine under <lake>/silver/.",
      "Runs until Ctrl-C or --duration, then stops cleanly (savepoints) and prints a summary."
    })
final class LocalCommand implements Callable<Integer> {

  @Option(names = "--duration", description = "Stop after this long, e.g. 2m (default: until Ctrl-C).")
  String duration;

  @Option(names = "--orders-rate", defaultValue = "5/s", description = "Order changes per second (default ${DEFAULT-VALUE}).")
  String ordersRate;

  @Option(names = "--events-rate", defaultValue = "50/s", description = "Web events per second (default ${DEFAULT-VALUE}).")
  String eventsRate;

  @Option(names = "--malformed-rate", defaultValue = "0.01", description = "Share of malformed events, quarantined by the job (default ${DEFAULT-VALUE}).")
  double malformedRate;

  @Option(names = "--duplicate-rate", defaultValue = "0.005", description = "Share of events re-sent, dropped by the job's dedup (default ${DEFAULT-VALUE}).")
  double duplicateRate;

  @Option(names = "--checkpoint-interval", defaultValue = "5s", description = "Checkpoint = Delta commit interval (default ${DEFAULT-VALUE}).")
  String checkpointInterval;

  @Option(names = "--data-dir", defaultValue = "./.tributary", description = "PostgreSQL, emulator, checkpoints and savepoints (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--lake", defaultValue = "./lakehouse", description = "Lake directory; tables go under <lake>/silver/ (default ${DEFAULT-VALUE}).")
  Path lake;

  @Option(names = "--warehouse", description = "Also serve the orders table's current state to a second embedded PostgreSQL"
      + " (the warehouse sink, docs/warehouse.md); the summary compares it with the source row by row.")
  boolean warehouse;

  @Option(names = "--keep", description = "Keep the previous run's data and resume from its savepoints (default: start from empty).")
  boolean keep;

  @Option(names = "--postgres-url", paramLabel = "JDBC_URL", description = "Use this PostgreSQL (wal_level=logical) instead of the embedded one; password from PGPASSWORD.")
  String postgresUrl;

  @Option(names = "--postgres-user", defaultValue = "postgres", description = "PostgreSQL user (default ${DEFAULT-VALUE}).")
  String postgresUser;

  @Option(names = "--kinesis-endpoint", paramLabel = "URL", description = "Use this Kinesis endpoint instead of the embedded emulator.")
  URI kinesisEndpoint;

  @Option(names = "--region", defaultValue = "us-east-1", description = "Kinesis region (default ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--stream", defaultValue = "tributary-web-events", description = "Kinesis stream, created if absent (default ${DEFAULT-VALUE}).")
  String stream;

  @Option(names = "--shards", defaultValue = "2", description = "Shards of a created stream (default ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--parallelism", defaultValue = "2", description = "events-job parallelism (default ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--dedup-scope", defaultValue = "STREAM", description = "events-job dedup: STREAM (keyBy on event_id) or SHARD (per shard, no exchange; the producers re-send with the same partition key) (default ${DEFAULT-VALUE}).")
  io.tributary.eventsjob.DedupScope dedupScope;

  @Option(names = "--web-ui-port", defaultValue = "0", description = "Flink web UI port on 127.0.0.1 (default: a free one).")
  int webUiPort;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = new CommandLine(this);
    if (shards < 1 || parallelism < 1) {
      throw new CommandLine.ParameterException(cl, "--shards and --parallelism must be at least 1");
    }
    if (malformedRate < 0 || malformedRate > 1 || duplicateRate < 0 || duplicateRate > 1) {
      throw new CommandLine.ParameterException(cl, "--malformed-rate and --duplicate-rate must be between 0 and 1");
    }
    LocalSettings settings = new LocalSettings(dataDir, lake, keep,
        Optional.ofNullable(duration).map(d -> duration(cl, "--duration", d)),
        rate(cl, "--orders-rate", ordersRate), rate(cl, "--events-rate", eventsRate), malformedRate, duplicateRate,
        duration(cl, "--checkpoint-interval", checkpointInterval), Optional.ofNullable(postgresUrl), postgresUser,
        Optional.ofNullable(kinesisEndpoint), region, stream, shards, parallelism, webUiPort, seed, warehouse)
        .withDedupScope(dedupScope);
    LocalPlatform platform = new LocalPlatform(settings, System.out);
    Signals.onInterrupt(platform::requestStop);
    LocalSummary summary = platform.run();
    return summary.complete() ? 0 : 1;
  }

  private static Duration duration(CommandLine cl, String option, String text) {
    try {
      Duration d = TimeUtils.parseDuration(text);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("must be positive");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, option + ": '" + text + "' is not a duration like 30s, 5m or 1h");
    }
  }

  private static double rate(CommandLine cl, String option, String text) {
    try {
      return Rate.parse(text).perSecond();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, option + ": " + e.getMessage());
    }
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new LocalCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tributary local: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }
}
