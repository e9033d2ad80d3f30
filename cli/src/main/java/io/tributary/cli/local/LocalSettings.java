package io.tributary.cli.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The validated settings of one {@code tributary local} run. */
public final class LocalSettings {
  private final Path dataDir;
  private final Path lake;
  private final boolean keep;
  private final Optional<Duration> duration;
  private final double ordersPerSecond;
  private final double eventsPerSecond;
  private final double malformedRate;
  private final double duplicateRate;
  private final Duration checkpointInterval;
  private final Optional<String> postgresUrl;
  private final String postgresUser;
  private final Optional<URI> kinesisEndpoint;
  private final String region;
  private final String stream;
  private final int shards;
  private final int parallelism;
  private final int webUiPort;
  private final long seed;
  private final boolean warehouse;
  private io.tributary.eventsjob.DedupScope dedupScope = io.tributary.eventsjob.DedupScope.STREAM;

  public LocalSettings(Path dataDir, Path lake, boolean keep, Optional<Duration> duration, double ordersPerSecond,
      double eventsPerSecond, double malformedRate, double duplicateRate, Duration checkpointInterval,
      Optional<String> postgresUrl, String postgresUser, Optional<URI> kinesisEndpoint, String region, String stream,
      int shards, int parallelism, int webUiPort, long seed) {
    this(dataDir, lake, keep, duration, ordersPerSecond, eventsPerSecond, malformedRate, duplicateRate, checkpointInterval,
        postgresUrl, postgresUser, kinesisEndpoint, region, stream, shards, parallelism, webUiPort, seed, false);
  }

  /**
   * @param warehouse also run the cdc-job's warehouse sink into a second embedded PostgreSQL (its data in
   *     {@code <data-dir>/warehouse}) and compare its table with the source in the summary
   */
  public LocalSettings(Path dataDir, Path lake, boolean keep, Optional<Duration> duration, double ordersPerSecond,
      double eventsPerSecond, double malformedRate, double duplicateRate, Duration checkpointInterval,
      Optional<String> postgresUrl, String postgresUser, Optional<URI> kinesisEndpoint, String region, String stream,
      int shards, int parallelism, int webUiPort, long seed, boolean warehouse) {
    this.warehouse = warehouse;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.lake = lake.toAbsolutePath().normalize();
    this.keep = keep;
    this.duration = duration;
    this.ordersPerSecond = ordersPerSecond;
    this.eventsPerSecond = eventsPerSecond;
    this.malformedRate = malformedRate;
    this.duplicateRate = duplicateRate;
    this.checkpointInterval = checkpointInterval;
    this.postgresUrl = postgresUrl;
    this.postgresUser = postgresUser;
    this.kinesisEndpoint = kinesisEndpoint;
    this.region = region;
    this.stream = stream;
    this.shards = shards;
    this.parallelism = parallelism;
    this.webUiPort = webUiPort;
    this.seed = seed;
  }

  /** Sets the events-job's {@code events.dedup-scope} (default {@code STREAM}); call before the run. */
  public LocalSettings withDedupScope(io.tributary.eventsjob.DedupScope scope) {
    this.dedupScope = java.util.Objects.requireNonNull(scope);
    return this;
  }

  io.tributary.eventsjob.DedupScope dedupScope() {
    return dedupScope;
  }

  /** Whether the run serves the orders table to an embedded warehouse. */
  boolean warehouse() {
    return warehouse;
  }

  Path dataDir() {
    return dataDir;
  }

  Path lake() {
    return lake;
  }

  boolean keep() {
    return keep;
  }

  Optional<Duration> duration() {
    return duration;
  }

  double ordersPerSecond() {
    return ordersPerSecond;
  }

  double eventsPerSecond() {
    return eventsPerSecond;
  }

  double malformedRate() {
    return malformedRate;
  }

  double duplicateRate() {
    return duplicateRate;
  }

  Duration checkpointInterval() {
    return checkpointInterval;
  }

  Optional<String> postgresUrl() {
    return postgresUrl;
  }

  String postgresUser() {
    return postgresUser;
  }

  Optional<URI> kinesisEndpoint() {
    return kinesisEndpoint;
  }

  String region() {
    return region;
  }

  String stream() {
    return stream;
  }

  int shards() {
    return shards;
  }

  int parallelism() {
    return parallelism;
  }

  int slots() {
    return parallelism + 2;
  }

  int webUiPort() {
    return webUiPort;
  }

  long seed() {
    return seed;
  }
}
