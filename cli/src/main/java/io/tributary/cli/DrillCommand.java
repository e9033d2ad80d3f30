package io.tributary.cli;

import io.tributary.cli.local.FailureDrill;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tributary drill}: the kill -9 failure drill (see {@link FailureDrill} and docs/reliability.md). */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = {
      "Failure drill: run 'tributary local --keep' against a PostgreSQL and a Kinesis emulator that outlive it,"
          + " kill it with SIGKILL at random moments, restart it each time, stop the last run cleanly, then check every"
          + " committed PostgreSQL change (by LSN, from a test_decoding slot) and every record in the stream (by event_id,"
          + " or shard and sequence number for malformed ones) is in the silver tables exactly once.",
      "In some killed runs PostgreSQL and/or the Kinesis emulator (which persists its data) are restarted at a random"
          + " moment before the kill; the drill then waits until both silver tables commit data created after the restart"
          + " (producers and jobs recovered by themselves) and fails if that takes more than 3 minutes.",
      "Exit status 0 when exactly once holds, 1 otherwise."
    })
final class DrillCommand implements Callable<Integer> {
  @Option(names = "--kills", defaultValue = "20", description = "SIGKILLs before the clean last run (default ${DEFAULT-VALUE}).")
  int kills;

  @Option(names = "--min-delay", defaultValue = "3s", description = "Earliest kill after a run's jobs started (default ${DEFAULT-VALUE}).")
  String minDelay;

  @Option(names = "--max-delay", defaultValue = "30s", description = "Latest kill after a run's jobs started (default ${DEFAULT-VALUE}).")
  String maxDelay;

  @Option(names = "--last-run", defaultValue = "30s", description = "Duration of the last, cleanly stopped run (default ${DEFAULT-VALUE}).")
  String lastRun;

  @Option(names = "--dir", defaultValue = "./.tributary-drill", description = "Working directory, emptied first (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--restart-postgres-every", defaultValue = "3", paramLabel = "N",
      description = "Restart PostgreSQL during every N-th killed run (runs N, 2N, ...); 0: never (default ${DEFAULT-VALUE}).")
  int restartPostgresEvery;

  @Option(names = "--restart-kinesis-every", defaultValue = "4", paramLabel = "N",
      description = "Restart the Kinesis emulator during every N-th killed run (runs N, 2N, ...); 0: never (default ${DEFAULT-VALUE}).")
  int restartKinesisEvery;

  @Option(names = "--dedup-scope", defaultValue = "STREAM", description = "events-job dedup scope, STREAM or SHARD (default ${DEFAULT-VALUE}).")
  io.tributary.eventsjob.DedupScope dedupScope;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the kill moments and the data (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Duration min = TimeUtils.parseDuration(minDelay);
    Duration max = TimeUtils.parseDuration(maxDelay);
    if (kills < 0 || max.compareTo(min) < 0 || restartPostgresEvery < 0 || restartKinesisEvery < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--kills and --restart-*-every must be >= 0 and --max-delay >= --min-delay");
    }
    FailureDrill.Result r = new FailureDrill(dir, kills, min, max, TimeUtils.parseDuration(lastRun), seed,
        restartPostgresEvery, restartKinesisEvery, System.out).withDedupScope(dedupScope).run();
    return r.exactlyOnce() ? 0 : 1;
  }

  static int run(String[] args) {
    CommandLine cli = new CommandLine(new DrillCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("tributary drill: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }
}
