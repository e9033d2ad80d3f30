package io.tributary.producers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@code produce events}: parses options into an {@link EventsConfig} and runs an {@link EventsProducer}. */
@Command(name = "events", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
    description = {
      "Puts realistic web events (browsing sessions: page views, searches, carts, checkouts, purchases) into a"
          + " Kinesis stream with PutRecords, partition key = session_id, in batches of up to 500 records / 5 MiB."
          + " Optionally mixes in malformed records and duplicates. Retries failed records with exponential"
          + " backoff and jitter; fails (exit 1) rather than drop a record.",
      "--count counts records of every kind (valid, malformed, duplicate).",
      ""},
    footer = {"",
      "Examples:",
      "  Local emulator (credentials from the environment):",
      "    AWS_ACCESS_KEY_ID=000000000000 AWS_SECRET_ACCESS_KEY=x \\",
      "      produce events --stream web-events --endpoint http://127.0.0.1:4567 \\",
      "      --region us-east-1 --rate 50/s --malformed-rate 0.01",
      "  AWS (default credential chain):",
      "    produce events --stream web-events --region eu-west-1 --rate 200/s \\",
      "      --duration 1h"})
final class EventsCommand implements Callable<Integer> {

  @ParentCommand
  ProduceCommand parent;

  @Spec
  CommandSpec spec;

  @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Kinesis stream name.")
  String stream;

  @Option(names = "--region", paramLabel = "REGION",
      description = "AWS region, e.g. eu-west-1. Default: the default region chain (AWS_REGION, profile).")
  String region;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Endpoint override, e.g. http://127.0.0.1:4567 for a local emulator.")
  URI endpoint;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Credentials of this AWS profile. Default: the default credential chain (env, profile, SSO, instance/task role).")
  String profile;

  @Option(names = "--access-key-id-env", paramLabel = "VAR",
      description = "Explicit credentials: the environment variable holding the access key id (with --secret-access-key-env), e.g. for an emulator.")
  String accessKeyIdEnv;

  @Option(names = "--secret-access-key-env", paramLabel = "VAR",
      description = "The environment variable holding the secret access key (with --access-key-id-env).")
  String secretAccessKeyEnv;

  @Option(names = "--rate", paramLabel = "RATE", defaultValue = "50/s",
      description = "Records per second: N/s, N/min, N/h or max. Default: ${DEFAULT-VALUE}.")
  Rate rate;

  @Option(names = "--malformed-rate", paramLabel = "SHARE", defaultValue = "0",
      description = "Share of malformed records (invalid JSON, missing fields, wrong types, bad timestamps, oversized...), e.g. 0.01. Default: ${DEFAULT-VALUE}.")
  double malformedRate;

  @Option(names = "--duplicate-rate", paramLabel = "SHARE", defaultValue = "0",
      description = "Share of records that re-send a recent valid record (same bytes, same key), e.g. 0.005. Default: ${DEFAULT-VALUE}.")
  double duplicateRate;

  @Option(names = "--start-time", paramLabel = "INSTANT",
      description = "Event time of the first session, ISO-8601 (2026-11-22T00:00:00Z). Default: now. Fix it with --seed for byte-identical runs.")
  String startTime;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
      description = "Most records per PutRecords request (1-500). Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--linger", paramLabel = "DURATION", defaultValue = "200ms",
      description = "Longest time a record waits for its batch to fill. Default: ${DEFAULT-VALUE}.")
  Duration linger;

  @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "10",
      description = "Attempts per record before giving up with an error. Default: ${DEFAULT-VALUE}.")
  int maxAttempts;

  @Mixin
  RunOptions run;

  @Override
  public Integer call() {
    EventsConfig config;
    try {
      EventsConfig.Builder b = EventsConfig.builder()
          .stream(stream)
          .region(region)
          .endpoint(endpoint)
          .rate(rate)
          .malformedRate(malformedRate)
          .duplicateRate(duplicateRate)
          .batchRecords(batchSize)
          .linger(linger)
          .maxAttempts(maxAttempts)
          .count(run.count)
          .duration(run.duration);
      if (run.seed != null) {
        b.seed(run.seed);
      }
      if (startTime != null) {
        b.startTime(parseInstant(startTime));
      }
      if ((accessKeyIdEnv == null) != (secretAccessKeyEnv == null)) {
        throw new IllegalArgumentException("--access-key-id-env and --secret-access-key-env go together");
      }
      if (accessKeyIdEnv != null) {
        if (profile != null) {
          throw new IllegalArgumentException("use either --profile or --access-key-id-env, not both");
        }
        b.credentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(env(accessKeyIdEnv), env(secretAccessKeyEnv))));
      } else if (profile != null) {
        b.credentials(ProfileCredentialsProvider.create(profile));
      }
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String header = "stream " + config.stream()
        + (config.endpoint() != null ? " at " + config.endpoint() : "")
        + (config.region() != null ? ", region " + config.region() : "")
        + ", rate " + config.rate() + ", malformed " + config.malformedRate() + ", duplicates " + config.duplicateRate()
        + ", " + config.limits() + ", seed " + config.seed()
        + ", start time " + config.startTime();
    return ProducerRunner.run(parent, run, spec.qualifiedName(), header, notices -> new EventsProducer(config, notices));
  }

  private String env(String name) {
    String value = parent.environment.apply(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }

  private static Instant parseInstant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 instant such as 2026-11-22T00:00:00Z");
    }
  }
}
