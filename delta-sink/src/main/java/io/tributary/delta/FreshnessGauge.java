package io.tributary.delta;

import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;

/**
 * The table's freshness as a metric Managed Flink forwards to CloudWatch: gauge {@value #NAME}
 * (milliseconds since this committer's newest commit) in the group {@value #MANAGED_FLINK_GROUP}
 * with the key group {@value #TABLE_KEY} = the table's name (the last segment of its path, as the
 * Glue table is named), which becomes the CloudWatch dimension {@code Table}.
 *
 * <p>The gauge is registered at this committer's first commit: the sink runs one committer per
 * subtask but only one of them receives the table's commits, and the others must not report an
 * age that grows forever. Idle checkpoints make no commit, so a table whose source is idle ages
 * too (see docs/deploy.md, freshness alarms).
 */
final class FreshnessGauge {
  /** Managed Flink forwards custom metrics of this group only. */
  static final String MANAGED_FLINK_GROUP = "kinesisanalytics";
  static final String TABLE_KEY = "Table";
  static final String NAME = "deltaCommitAgeMs";

  private final MetricGroup metrics;
  private final String table;
  private final LongSupplier clock;
  private volatile long lastCommitMillis = -1;

  FreshnessGauge(MetricGroup metrics, String tablePath, LongSupplier clock) {
    this.metrics = metrics;
    this.table = tableName(tablePath);
    this.clock = clock;
  }

  /** Records a commit that just succeeded; the first one registers the gauge. */
  void committed() {
    boolean first = lastCommitMillis < 0;
    lastCommitMillis = clock.getAsLong();
    if (first) {
      metrics.addGroup(MANAGED_FLINK_GROUP).addGroup(TABLE_KEY, table)
          .gauge(NAME, () -> Math.max(0, clock.getAsLong() - lastCommitMillis));
    }
  }

  /** The table's name: the last non-empty segment of its path. */
  static String tableName(String tablePath) {
    String p = tablePath;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.substring(p.lastIndexOf('/') + 1);
  }
}
