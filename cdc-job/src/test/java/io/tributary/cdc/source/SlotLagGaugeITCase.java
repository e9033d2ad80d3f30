package io.tributary.cdc.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cdc.CdcTestSupport;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The slot lag gauge measures a real slot's unconfirmed WAL, under Managed Flink's metric group. */
class SlotLagGaugeITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Test
  void publishesTheWalBytesTheSlotHasNotConfirmed() throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("slotlag");
    MetricListener listener = new MetricListener();
    AtomicLong clock = new AtomicLong(1_000);
    SlotLagGauge gauge = new SlotLagGauge(listener.getMetricGroup(), "lagging", 30_000, clock::get);
    try (Connection c = pg.connect("slotlag")) {
      CdcTestSupport.sql(c, "CREATE TABLE t (id bigint PRIMARY KEY, v text)");
      gauge.refresh(c);
      assertThat(listener.getGauge(SlotLagGauge.MANAGED_FLINK_GROUP, SlotLagGauge.NAME))
          .as("no gauge while the slot does not exist").isEmpty();

      CdcTestSupport.sql(c, "SELECT pg_create_logical_replication_slot('lagging', 'pgoutput')");
      try {
        clock.addAndGet(30_000);
        gauge.refresh(c);
        Gauge<Long> lag = listener.<Long>getGauge(SlotLagGauge.MANAGED_FLINK_GROUP, SlotLagGauge.NAME).orElseThrow();
        long atCreation = lag.getValue();
        assertThat(atCreation).isBetween(0L, 1024L * 1024);

        // About 1 MB of WAL that nobody consumes.
        CdcTestSupport.sql(c, "INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 10000) g");
        clock.addAndGet(1_000);
        gauge.refresh(c);
        assertThat(lag.getValue()).as("within the interval: not queried again").isEqualTo(atCreation);
        clock.addAndGet(29_000);
        gauge.refresh(c);
        assertThat(lag.getValue()).isGreaterThan(atCreation + 1_000_000);
      } finally {
        CdcTestSupport.sql(c, "SELECT pg_drop_replication_slot('lagging')");
      }
    }
  }
}
