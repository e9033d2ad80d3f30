package io.tributary.delta.maintenance;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** What one {@link Compactor#compact} run did, partition by partition. */
public final class CompactionReport {

  /** The outcome for one partition (and one file schema within it). */
  public static final class PartitionOutcome {
    private final Map<String, String> partition;
    private final int filesIn;
    private final long bytesIn;
    private final int filesOut;
    private final long bytesOut;
    private final long rows;
    private final long version;
    private final String skippedBecause;

    PartitionOutcome(Map<String, String> partition, int filesIn, long bytesIn, int filesOut, long bytesOut,
        long rows, long version, String skippedBecause) {
      this.partition = partition;
      this.filesIn = filesIn;
      this.bytesIn = bytesIn;
      this.filesOut = filesOut;
      this.bytesOut = bytesOut;
      this.rows = rows;
      this.version = version;
      this.skippedBecause = skippedBecause;
    }

    public Map<String, String> partition() {
      return partition;
    }

    public int filesIn() {
      return filesIn;
    }

    public long bytesIn() {
      return bytesIn;
    }

    public int filesOut() {
      return filesOut;
    }

    public long bytesOut() {
      return bytesOut;
    }

    public long rows() {
      return rows;
    }

    /** The table version of the compaction commit, or -1 when skipped. */
    public long version() {
      return version;
    }

    public boolean committed() {
      return version >= 0;
    }

    /** Why nothing was committed (a concurrent compaction, for example), or null. */
    public String skippedBecause() {
      return skippedBecause;
    }

    @Override
    public String toString() {
      return committed()
          ? String.format("%s: %d files (%d bytes) -> %d files (%d bytes), %d rows, version %d",
              partition, filesIn, bytesIn, filesOut, bytesOut, rows, version)
          : String.format("%s: skipped (%s)", partition, skippedBecause);
    }
  }

  private final List<PartitionOutcome> outcomes;
  private final long millis;

  CompactionReport(List<PartitionOutcome> outcomes, long millis) {
    this.outcomes = Collections.unmodifiableList(outcomes);
    this.millis = millis;
  }

  public List<PartitionOutcome> outcomes() {
    return outcomes;
  }

  public long millis() {
    return millis;
  }

  public int filesRemoved() {
    return outcomes.stream().filter(PartitionOutcome::committed).mapToInt(PartitionOutcome::filesIn).sum();
  }

  public int filesAdded() {
    return outcomes.stream().filter(PartitionOutcome::committed).mapToInt(PartitionOutcome::filesOut).sum();
  }

  @Override
  public String toString() {
    if (outcomes.isEmpty()) {
      return "nothing to compact";
    }
    StringBuilder b = new StringBuilder(
        String.format("compacted %d files into %d in %d ms", filesRemoved(), filesAdded(), millis));
    outcomes.forEach(o -> b.append("\n  ").append(o));
    return b.toString();
  }
}
