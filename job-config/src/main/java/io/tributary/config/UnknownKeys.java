package io.tributary.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the keys of a job's parameters that the job does not know, so that a mistyped key
 * ({@code kinesis.regoin}) is refused instead of silently falling back to a default. A job owns
 * some key prefixes ({@code kinesis.}, {@code postgres.}, ...) and bare keys; within them every key
 * must be known, except under pass-through prefixes (raw connector or sink properties, checked
 * elsewhere). Keys outside the owned namespaces are left alone: they may belong to the platform.
 */
public final class UnknownKeys {
  private final Set<String> known;
  private final Collection<String> ownedPrefixes;
  private final Collection<String> passThroughPrefixes;

  /**
   * @param known every key the job reads
   * @param ownedPrefixes prefixes in which every key must be known; bare keys (no dot) are owned
   *     too when a known key is bare (e.g. {@code parallelism})
   * @param passThroughPrefixes prefixes whose keys are handed on unchecked
   */
  public UnknownKeys(Collection<String> known, Collection<String> ownedPrefixes, Collection<String> passThroughPrefixes) {
    this.known = new TreeSet<>(known);
    this.ownedPrefixes = List.copyOf(ownedPrefixes);
    this.passThroughPrefixes = List.copyOf(passThroughPrefixes);
  }

  /**
   * One problem per unknown key, naming the nearest known key when one is close ("did you mean").
   *
   * @param where where the valid keys are listed, for the message (e.g. {@code CdcJobOptions})
   */
  public List<String> problems(Collection<String> keys, String where) {
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(keys)) {
      if (known.contains(key) || passThroughPrefixes.stream().anyMatch(key::startsWith) || !owned(key)) {
        continue;
      }
      problems.add("unknown option " + key + suggestion(key).map(s -> " (did you mean " + s + "?)").orElse("")
          + "; the options are listed in " + where);
    }
    return problems;
  }

  /** In an owned prefix, or a bare key (no dot) of a job that has bare keys (e.g. {@code parallelism}). */
  private boolean owned(String key) {
    if (ownedPrefixes.stream().anyMatch(key::startsWith)) {
      return true;
    }
    return !key.contains(".") && known.stream().anyMatch(k -> !k.contains("."));
  }

  /** The known key nearest to {@code key} by edit distance, when it is near enough to be a typo. */
  Optional<String> suggestion(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(key, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int limit = Math.max(2, key.length() / 4);
    return bestDistance <= limit ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
