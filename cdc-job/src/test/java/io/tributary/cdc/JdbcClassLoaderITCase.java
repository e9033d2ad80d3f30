package io.tributary.cdc;

import io.tributary.cdc.source.ReplicationAdmin;
import io.tributary.delta.testing.ChildFirstJob;
import io.tributary.postgres.EmbeddedPostgres;
import io.tributary.postgres.PostgresExtension;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC from job code as a cluster runs it: each submission's code in a new child-first class
 * loader, in a JVM where {@code DriverManager} was set up earlier by other code. Every job must
 * connect, and a released job's class loader must not stay registered anywhere.
 */
class JdbcClassLoaderITCase {
  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Test
  void everyJobClassLoaderConnectsAndIsCollectedAfterRelease() throws Exception {
    EmbeddedPostgres pg = PG.server();
    pg.createDatabase("loaders");
    try (Connection c = pg.connect("loaders")) {
      // DriverManager is now initialised with the driver of this JVM's class path, as a cluster's
      // is by the first job that used it.
      assertThat(c.isValid(5)).isTrue();
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("postgres.host", "127.0.0.1");
    settings.put("postgres.port", Integer.toString(pg.port()));
    settings.put("postgres.database", "loaders");
    settings.put("postgres.user", EmbeddedPostgres.SUPERUSER);
    settings.put("cdc.tables", "public.t");
    settings.put("cdc.slot", "loaders");
    settings.put("lake.path", "/tmp/unused-lake");

    for (int submission = 1; submission <= 3; submission++) {
      ChildFirstJob job = ChildFirstJob.create();
      assertThat(job.run("io.tributary.cdc.source.JdbcProbe", settings)).containsEntry("database", "loaders");
      WeakReference<ClassLoader> inner =
          new WeakReference<>(Class.forName(ReplicationAdmin.class.getName(), false, job.classLoader()).getClassLoader());
      WeakReference<ClassLoader> wrapper = job.release(true);
      assertThat(ChildFirstJob.collected(wrapper)).as("submission %d: user-code class loader collected", submission).isTrue();
      assertThat(ChildFirstJob.collected(inner)).as("submission %d: child-first class loader collected", submission).isTrue();
    }
  }
}
