package io.tributary.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a job accepts, from docs/options.json: generated from the jobs' option lists
 * (CdcJobOptions.ALL, EventsJobOptions.ALL, CheckpointOptions.ALL, DeltaSinkOptions.ALL as
 * {@code sink.<key>}, the secrets' source keys) by cli's OptionReference and checked against them by
 * OptionReferenceTest. This module builds without the jobs (no Flink), so it reads the list, not
 * the classes.
 */
final class AcceptedKeys {
  private final Set<String> keys = new TreeSet<>();
  private final List<String> passThroughPrefixes = new ArrayList<>();

  private AcceptedKeys(JsonNode job) {
    job.path("keys").forEach(k -> keys.add(k.asText()));
    job.path("passThroughPrefixes").forEach(p -> passThroughPrefixes.add(p.asText()));
  }

  /** {@code job}: cdc-job or events-job. */
  static AcceptedKeys of(String job) {
    Path file = Path.of(System.getProperty("tributary.repo.root", ".."), "docs", "options.json");
    try {
      JsonNode node = new ObjectMapper().readTree(file.toFile()).path(job);
      if (node.path("keys").size() == 0) {
        throw new IllegalStateException(file + " lists no keys of " + job);
      }
      return new AcceptedKeys(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A key of the job's options, or under a prefix it hands on (hadoop.*, ...). */
  boolean accepts(String key) {
    return keys.contains(key) || passThroughPrefixes.stream().anyMatch(key::startsWith);
  }

  Set<String> keys() {
    return keys;
  }
}
