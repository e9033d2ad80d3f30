package io.tributary.cdc;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.delta.testing.TestClusters;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.tributary.cdc.CdcTestSupport.awaitValue;
import static io.tributary.cdc.CdcTestSupport.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two cdc pipelines in one TaskManager JVM (two databases, or a restore while the old task is
 * still shutting down) must each register Debezium's streaming metrics under a name of their own:
 * with the same name the second source waits a minute for it and then runs without metrics.
 */
class DebeziumMetricsITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @RegisterExtension
  static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);

  @TempDir Path lakeA;
  @TempDir Path lakeB;

  @Test
  void twoPipelinesInOneJvmRegisterTheirOwnStreamingMetrics(@InjectClusterClient ClusterClient<?> client)
      throws Exception {
    EmbeddedPostgres pg = PG.server();
    List<JobID> jobs = new ArrayList<>();
    try {
      jobs.add(start(pg, "first", lakeA));
      jobs.add(start(pg, "second", lakeB));
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName pattern = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,*");
      // A source that did not get its name would never show up here as connected.
      Set<String> slots = awaitValue("both sources streaming", Duration.ofSeconds(50), () -> {
        Set<String> connected = new TreeSet<>();
        for (ObjectName name : server.queryNames(pattern, null)) {
          if (Boolean.TRUE.equals(attribute(server, name, "Connected"))) {
            connected.add(String.valueOf(name.getKeyProperty("slot")));
          }
        }
        return connected;
      }, connected -> connected.size() >= 2);
      assertThat(slots).containsExactly("first_slot", "second_slot");
    } finally {
      // Best effort: a source stuck waiting for its JMX name may not stop in time, and that must
      // not hide the assertion that failed above.
      for (JobID job : jobs) {
        client.cancel(job);
      }
    }
  }

  private static Object attribute(MBeanServer server, ObjectName name, String attribute) {
    try {
      return server.getAttribute(name, attribute);
    } catch (Exception e) {
      return null; // unregistered in between
    }
  }

  private static JobID start(EmbeddedPostgres pg, String name, Path lake) throws Exception {
    pg.createDatabase(name);
    try (Connection c = pg.connect(name)) {
      sql(c, "CREATE TABLE items (id bigint PRIMARY KEY, label text)", "INSERT INTO items VALUES (1, 'one')");
    }
    CdcJobConfig config = CdcTestSupport.config(pg, name, lake, "public.items", name + "_slot", Map.of());
    StreamExecutionEnvironment env = CdcTestSupport.env(new Configuration());
    CdcPipeline.addTo(env, config);
    return env.executeAsync("cdc-" + name).getJobID();
  }
}
