package io.tributary.producers;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every {@code produce} subcommand shares: how long, determinism, output. */
final class RunOptions {

  @Option(names = "--duration", paramLabel = "DURATION",
      description = "Stop after this time, e.g. 30s, 10m, 90min. Default: no limit (Ctrl-C stops).")
  Duration duration;

  @Option(names = "--count", paramLabel = "N",
      description = "Stop after N units (orders: operations; events: records). Default: no limit. With --duration, whichever comes first.")
  long count;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "Seed of the generator: same seed and options, same data. Default: random (printed at start).")
  Long seed;

  @Option(names = "--progress-interval", paramLabel = "DURATION",
      description = "Time between progress updates. Default: 1s on a terminal, 10s otherwise.")
  Duration progressInterval;

  @Option(names = {"-q", "--quiet"}, description = "No progress output, only the summary and errors.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
  boolean verbose;
}
