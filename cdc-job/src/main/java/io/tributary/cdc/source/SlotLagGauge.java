package io.tributary.cdc.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication slot's lag as a metric Managed Flink forwards to CloudWatch: gauge {@value #NAME}
 * in the group {@value #MANAGED_FLINK_GROUP}, the bytes of WAL between the server's current insert
 * position and the slot's {@code confirmed_flush_lsn} (what the job has not confirmed yet; the
 * source confirms at completed checkpoints). A stalled job makes it grow, and with it the WAL the
 * server must keep.
 *
 * <p>{@link #refresh} runs on the source's thread with the source's own connection, at most once
 * per interval, so the metric reporter never waits for the database. The gauge is registered at the
 * first measurement; a failed measurement keeps the last value and is logged, never fails the job.
 */
final class SlotLagGauge {
  /** Managed Flink forwards custom metrics of this group only. */
  static final String MANAGED_FLINK_GROUP = "kinesisanalytics";
  static final String NAME = "replicationSlotLagBytes";

  private static final Logger LOG = LoggerFactory.getLogger(SlotLagGauge.class);

  private final MetricGroup metrics;
  private final String slot;
  private final long intervalMillis;
  private final LongSupplier clock;
  private volatile long lagBytes = -1;
  private long nextRefresh = Long.MIN_VALUE;

  /**
   * @param intervalMillis minimum time between two queries, positive
   */
  SlotLagGauge(MetricGroup metrics, String slot, long intervalMillis, LongSupplier clock) {
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("intervalMillis must be positive: " + intervalMillis);
    }
    this.metrics = metrics;
    this.slot = slot;
    this.intervalMillis = intervalMillis;
    this.clock = clock;
  }

  /** Measures the lag with {@code c} if the interval has passed since the last measurement. */
  void refresh(Connection c) {
    long now = clock.getAsLong();
    if (now < nextRefresh) {
      return;
    }
    nextRefresh = now + intervalMillis;
    // The insert position, not the write position: with synchronous_commit=off (as the embedded
    // server runs) committed WAL can sit in the WAL buffers, and the write position would miss it.
    try (PreparedStatement st = c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), confirmed_flush_lsn)"
        + "::bigint FROM pg_replication_slots WHERE slot_name = ? AND confirmed_flush_lsn IS NOT NULL")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          boolean first = lagBytes < 0;
          lagBytes = Math.max(0, rs.getLong(1));
          if (first) {
            metrics.addGroup(MANAGED_FLINK_GROUP).gauge(NAME, () -> lagBytes);
          }
        }
      }
    } catch (SQLException e) {
      LOG.warn("Could not measure the lag of replication slot {}: {}", slot, e.getMessage());
    }
  }

  /** The last measured lag in bytes, or -1 before the first measurement. */
  long lagBytes() {
    return lagBytes;
  }
}
