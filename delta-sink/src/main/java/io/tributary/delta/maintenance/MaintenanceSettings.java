package io.tributary.delta.maintenance;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * When and how the sink maintains its table from the committer (see {@link
 * StreamingMaintenance}): the triggers of a compaction, its bounds, and the vacuum interval and
 * retention. Immutable and serializable (part of the sink's configuration); validated on
 * construction.
 */
public final class MaintenanceSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean enabled;
  private final int commitInterval;
  private final int minFiles;
  private final long minSmallBytes;
  private final long smallFileSize;
  private final long targetFileSize;
  private final int maxPartitions;
  private final long maxInputBytes;
  private final int commitRetries;
  private final Duration vacuumInterval;
  private final Duration vacuumRetention;

  /**
   * @throws IllegalArgumentException listing every invalid value
   */
  public MaintenanceSettings(boolean enabled, int commitInterval, int minFiles, long minSmallBytes,
      long smallFileSize, long targetFileSize, int maxPartitions, long maxInputBytes, int commitRetries,
      Duration vacuumInterval, Duration vacuumRetention) {
    this.enabled = enabled;
    this.commitInterval = commitInterval;
    this.minFiles = minFiles;
    this.minSmallBytes = minSmallBytes;
    this.smallFileSize = smallFileSize;
    this.targetFileSize = targetFileSize;
    this.maxPartitions = maxPartitions;
    this.maxInputBytes = maxInputBytes;
    this.commitRetries = commitRetries;
    this.vacuumInterval = vacuumInterval;
    this.vacuumRetention = vacuumRetention;
    List<String> problems = new ArrayList<>();
    if (commitInterval < 1) {
      problems.add("maintenance.commit-interval must be at least 1, was " + commitInterval);
    }
    if (minSmallBytes < 1) {
      problems.add("maintenance.compaction.min-small-bytes must be positive, was " + minSmallBytes);
    }
    if (vacuumInterval.isNegative()) {
      problems.add("maintenance.vacuum.interval must not be negative, was " + vacuumInterval);
    }
    if (vacuumRetention.compareTo(Vacuum.DEFAULT_RETENTION) < 0) {
      problems.add("maintenance.vacuum.retention must be at least " + Vacuum.DEFAULT_RETENTION.toDays()
          + " days (files of pending commits and of versions readers may read), was " + vacuumRetention);
    }
    try {
      compaction(List.of());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Maintenance switched off (what {@code maintenance.enabled=false} gives). */
  public static MaintenanceSettings disabled() {
    return new MaintenanceSettings(false, 10, 10, 64 * CompactionSettings.MIB, 64 * CompactionSettings.MIB,
        128 * CompactionSettings.MIB, 10, 1024 * CompactionSettings.MIB, 5, Duration.ZERO, Vacuum.DEFAULT_RETENTION);
  }

  public boolean enabled() {
    return enabled;
  }

  /** A plan is made after this many commits since the last run. */
  public int commitInterval() {
    return commitInterval;
  }

  /** A partition with this many small files is compacted. */
  public int minFiles() {
    return minFiles;
  }

  /** A partition whose small files (at least 2) add up to this many bytes is compacted. */
  public long minSmallBytes() {
    return minSmallBytes;
  }

  public long smallFileSize() {
    return smallFileSize;
  }

  public long targetFileSize() {
    return targetFileSize;
  }

  public int maxPartitions() {
    return maxPartitions;
  }

  public long maxInputBytes() {
    return maxInputBytes;
  }

  public int commitRetries() {
    return commitRetries;
  }

  /** Time between vacuum runs (the first one this long after start); zero for never. */
  public Duration vacuumInterval() {
    return vacuumInterval;
  }

  public Duration vacuumRetention() {
    return vacuumRetention;
  }

  /**
   * The settings of one {@link Compactor} run over {@code partitions} (all partitions when empty):
   * the planner already applied the thresholds, so any two small files of them are input.
   */
  CompactionSettings compaction(List<Map<String, String>> partitions) {
    CompactionSettings.Builder b = CompactionSettings.builder()
        .targetFileSize(targetFileSize)
        .smallFileSize(smallFileSize)
        .minInputFiles(2)
        .maxPartitions(Math.max(1, maxPartitions))
        .maxInputBytes(maxInputBytes)
        .commitMaxRetries(commitRetries);
    partitions.forEach(b::partition);
    if (minFiles < 2) {
      throw new IllegalArgumentException("maintenance.compaction.min-files must be at least 2, was " + minFiles);
    }
    if (maxPartitions < 1) {
      throw new IllegalArgumentException("maintenance.compaction.max-partitions must be at least 1, was " + maxPartitions);
    }
    return b.build();
  }
}
