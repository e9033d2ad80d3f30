package io.tributary.cdc.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.delta.testing.ChildFirstJob;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The warehouse connection from job code as a cluster runs it: each submission in a new
 * child-first class loader, in a JVM whose {@code DriverManager} already knows the class path's
 * driver. Every submission connects, and its class loader is collected after release.
 */
class WarehouseClassLoaderITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Test
  void everyJobClassLoaderConnectsToTheWarehouseAndIsCollected() throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("dwh");
    try (Connection c = pg.connect("dwh")) {
      assertThat(c.isValid(5)).isTrue(); // DriverManager initialised, as by an earlier job
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("postgres.database", "shop");
    settings.put("postgres.user", "cdc");
    settings.put("cdc.tables", "public.orders");
    settings.put("lake.path", "/tmp/unused-lake");
    settings.put("warehouse.tables", "public.orders");
    settings.put("warehouse.url", "jdbc:postgresql://127.0.0.1:" + pg.port() + "/dwh");
    settings.put("warehouse.user", EmbeddedPostgres.SUPERUSER);
    for (int submission = 1; submission <= 3; submission++) {
      ChildFirstJob job = ChildFirstJob.create();
      assertThat(job.run("io.tributary.cdc.warehouse.WarehouseJdbcProbe", settings)).containsEntry("database", "dwh");
      WeakReference<ClassLoader> inner = new WeakReference<>(
          Class.forName(WarehouseConnectionProvider.class.getName(), false, job.classLoader()).getClassLoader());
      WeakReference<ClassLoader> wrapper = job.release(true);
      assertThat(ChildFirstJob.collected(wrapper)).as("submission %d: user-code class loader collected", submission).isTrue();
      assertThat(ChildFirstJob.collected(inner)).as("submission %d: child-first class loader collected", submission).isTrue();
    }
  }
}
