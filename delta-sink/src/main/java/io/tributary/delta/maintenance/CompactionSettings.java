package io.tributary.delta.maintenance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What {@link Compactor} may do in one run; validated by {@link Builder#build()}. */
public final class CompactionSettings {

  public static final long MIB = 1024L * 1024L;

  private final long targetFileSize;
  private final long smallFileSize;
  private final int minInputFiles;
  private final int maxPartitions;
  private final long maxInputBytes;
  private final String compression;
  private final int commitMaxRetries;
  private final List<Map<String, String>> onlyPartitions;

  private CompactionSettings(Builder b) {
    this.targetFileSize = b.targetFileSize;
    this.smallFileSize = b.smallFileSize < 0 ? b.targetFileSize / 2 : b.smallFileSize;
    this.minInputFiles = b.minInputFiles;
    this.maxPartitions = b.maxPartitions;
    this.maxInputBytes = b.maxInputBytes;
    this.compression = b.compression;
    this.commitMaxRetries = b.commitMaxRetries;
    this.onlyPartitions = Collections.unmodifiableList(new ArrayList<>(b.onlyPartitions));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static CompactionSettings defaults() {
    return builder().build();
  }

  /** Output files are rolled at this size; default 128 MiB. */
  public long targetFileSize() {
    return targetFileSize;
  }

  /** Files below this size are compaction input; default half the target size. */
  public long smallFileSize() {
    return smallFileSize;
  }

  /** A partition is compacted when it has at least this many small files; default 5. */
  public int minInputFiles() {
    return minInputFiles;
  }

  /** At most this many partitions per run, those with the most small files first; default 10. */
  public int maxPartitions() {
    return maxPartitions;
  }

  /** At most this many input bytes per run (bounded work); default 8 GiB. */
  public long maxInputBytes() {
    return maxInputBytes;
  }

  /** Parquet codec of the output files; default SNAPPY. */
  public String compression() {
    return compression;
  }

  public int commitMaxRetries() {
    return commitMaxRetries;
  }

  /** Only these partitions (column to value), or all when empty. */
  public List<Map<String, String>> onlyPartitions() {
    return onlyPartitions;
  }

  /** Builds {@link CompactionSettings}. */
  public static final class Builder {
    private long targetFileSize = 128 * MIB;
    private long smallFileSize = -1;
    private int minInputFiles = 5;
    private int maxPartitions = 10;
    private long maxInputBytes = 8192 * MIB;
    private String compression = "SNAPPY";
    private int commitMaxRetries = 100;
    private final List<Map<String, String>> onlyPartitions = new ArrayList<>();

    public Builder targetFileSize(long bytes) {
      this.targetFileSize = bytes;
      return this;
    }

    public Builder smallFileSize(long bytes) {
      this.smallFileSize = bytes;
      return this;
    }

    public Builder minInputFiles(int files) {
      this.minInputFiles = files;
      return this;
    }

    public Builder maxPartitions(int partitions) {
      this.maxPartitions = partitions;
      return this;
    }

    public Builder maxInputBytes(long bytes) {
      this.maxInputBytes = bytes;
      return this;
    }

    public Builder compression(String codec) {
      this.compression = Objects.requireNonNull(codec).toUpperCase(java.util.Locale.ROOT);
      return this;
    }

    public Builder commitMaxRetries(int retries) {
      this.commitMaxRetries = retries;
      return this;
    }

    /** Restricts the run to one partition, e.g. {@code {event_date=2026-11-22}}. */
    public Builder partition(Map<String, String> values) {
      this.onlyPartitions.add(new LinkedHashMap<>(values));
      return this;
    }

    /**
     * @throws IllegalArgumentException listing every invalid setting
     */
    public CompactionSettings build() {
      List<String> problems = new ArrayList<>();
      if (targetFileSize < MIB / 1024) {
        problems.add("target file size must be at least 1 KiB, was " + targetFileSize);
      }
      if (smallFileSize > targetFileSize) {
        problems.add("small file size (" + smallFileSize + ") must not exceed the target size (" + targetFileSize + ")");
      }
      if (minInputFiles < 2) {
        problems.add("min input files must be at least 2, was " + minInputFiles);
      }
      if (maxPartitions < 1) {
        problems.add("max partitions must be at least 1, was " + maxPartitions);
      }
      if (maxInputBytes < 1) {
        problems.add("max input bytes must be positive, was " + maxInputBytes);
      }
      if (commitMaxRetries < 0) {
        problems.add("commit retries must be >= 0, was " + commitMaxRetries);
      }
      try {
        org.apache.parquet.hadoop.metadata.CompressionCodecName.valueOf(compression);
      } catch (IllegalArgumentException e) {
        problems.add("unknown Parquet compression " + compression + " (SNAPPY, ZSTD, GZIP, UNCOMPRESSED)");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("Invalid compaction settings: " + String.join("; ", problems));
      }
      return new CompactionSettings(this);
    }
  }
}
