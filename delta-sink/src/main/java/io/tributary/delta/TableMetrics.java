package io.tributary.delta;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;

/**
 * The table's metrics where Managed Flink forwards them to CloudWatch: the group {@value
 * #MANAGED_FLINK_GROUP} with the key group {@value #TABLE_KEY} = the table's name (the last segment
 * of its path, as the Glue table is named), which becomes the CloudWatch dimension {@code Table}.
 * Other metric reporters (Prometheus on Kubernetes, JMX on EMR) see them there too.
 *
 * <p>It holds the freshness gauge {@value #FRESHNESS} (milliseconds since this committer's newest
 * commit) and whatever {@code alsoPublish} registers in the same group (the in-job maintenance's
 * file counts, lag and compaction counters).
 *
 * <p>The group is created at this committer's first commit: the sink runs one committer per
 * subtask but only one of them receives the table's commits, and the others must not report an
 * age that grows forever or file counts of zero beside the real ones. Idle checkpoints make no
 * commit, so a table whose source is idle ages too (see docs/deploy.md, freshness alarms).
 */
final class TableMetrics {
  /** Managed Flink forwards custom metrics of this group only. */
  static final String MANAGED_FLINK_GROUP = "kinesisanalytics";
  static final String TABLE_KEY = "Table";
  static final String FRESHNESS = "deltaCommitAgeMs";

  private final MetricGroup metrics;
  private final String table;
  private final LongSupplier clock;
  private final Consumer<MetricGroup> alsoPublish;
  private volatile long lastCommitMillis = -1;

  /**
   * @param alsoPublish registers further metrics in the table's group, once, at the first commit
   */
  TableMetrics(MetricGroup metrics, String tablePath, LongSupplier clock, Consumer<MetricGroup> alsoPublish) {
    this.metrics = metrics;
    this.table = tableName(tablePath);
    this.clock = clock;
    this.alsoPublish = alsoPublish;
  }

  /** Records a commit that just succeeded; the first one registers the table's metrics. */
  void committed() {
    boolean first = lastCommitMillis < 0;
    lastCommitMillis = clock.getAsLong();
    if (first) {
      MetricGroup group = metrics.addGroup(MANAGED_FLINK_GROUP).addGroup(TABLE_KEY, table);
      group.gauge(FRESHNESS, () -> Math.max(0, clock.getAsLong() - lastCommitMillis));
      alsoPublish.accept(group);
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
