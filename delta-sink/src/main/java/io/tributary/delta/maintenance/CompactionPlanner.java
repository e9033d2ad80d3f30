package io.tributary.delta.maintenance;

import io.tributary.delta.ActiveFile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides which partitions an in-job maintenance run compacts: among the candidate partitions
 * (those commits touched since the last run, late data included), the ones with at least {@link
 * MaintenanceSettings#minFiles()} small files, or with at least two small files adding up to
 * {@link MaintenanceSettings#minSmallBytes()}; most small files first, at most {@link
 * MaintenanceSettings#maxPartitions()}. Pure: it reads nothing but its arguments.
 */
final class CompactionPlanner {

  private final MaintenanceSettings settings;

  CompactionPlanner(MaintenanceSettings settings) {
    this.settings = settings;
  }

  /** The plan for one run. */
  static final class Plan {
    private final List<Map<String, String>> partitions;
    private final Map<Map<String, String>, Integer> filesPerPartition;
    private final Map<Map<String, String>, Integer> smallFilesPerPartition = new HashMap<>();
    private final Map<Map<String, String>, Long> smallBytesPerPartition = new HashMap<>();

    Plan(List<Map<String, String>> partitions, Map<Map<String, String>, Integer> filesPerPartition) {
      this.partitions = partitions;
      this.filesPerPartition = filesPerPartition;
    }

    /** Small files of every partition that has any. */
    Map<Map<String, String>, Integer> smallFilesPerPartition() {
      return smallFilesPerPartition;
    }

    /** Bytes of the small files of every partition that has any. */
    Map<Map<String, String>, Long> smallBytesPerPartition() {
      return smallBytesPerPartition;
    }

    /** Partitions to compact, most small files first. */
    List<Map<String, String>> partitions() {
      return partitions;
    }

    /** Active data files of every partition of the table (for the file-count metrics). */
    Map<Map<String, String>, Integer> filesPerPartition() {
      return filesPerPartition;
    }
  }

  /**
   * @param candidates partitions to consider, or null for every partition (the first run after a
   *     start, which does not know what earlier runs left behind)
   */
  Plan plan(List<ActiveFile> files, Collection<Map<String, String>> candidates) {
    Map<Map<String, String>, Integer> counts = new HashMap<>();
    Map<Map<String, String>, int[]> smallCount = new HashMap<>();
    Map<Map<String, String>, long[]> smallBytes = new HashMap<>();
    for (ActiveFile f : files) {
      counts.merge(f.partitionValues(), 1, Integer::sum);
      if (f.size() < settings.smallFileSize()) {
        smallCount.computeIfAbsent(f.partitionValues(), k -> new int[1])[0]++;
        smallBytes.computeIfAbsent(f.partitionValues(), k -> new long[1])[0] += f.size();
      }
    }
    List<Map<String, String>> due = new ArrayList<>();
    for (Map.Entry<Map<String, String>, int[]> e : smallCount.entrySet()) {
      Map<String, String> partition = e.getKey();
      int n = e.getValue()[0];
      boolean candidate = candidates == null || candidates.contains(partition);
      if (candidate && (n >= settings.minFiles() || (n >= 2 && smallBytes.get(partition)[0] >= settings.minSmallBytes()))) {
        due.add(partition);
      }
    }
    List<Map<String, String>> ordered = due.stream()
        .sorted(Comparator.<Map<String, String>>comparingInt(p -> smallCount.get(p)[0]).reversed()
            .thenComparing(Object::toString))
        .limit(settings.maxPartitions())
        .collect(Collectors.toList());
    Plan plan = new Plan(ordered, counts);
    smallCount.forEach((p, n) -> plan.smallFilesPerPartition.put(p, n[0]));
    smallBytes.forEach((p, b) -> plan.smallBytesPerPartition.put(p, b[0]));
    return plan;
  }
}
