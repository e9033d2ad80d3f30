package io.tributary.cdc.warehouse;

import io.tributary.cdc.config.CdcJobConfig;
import io.tributary.config.JobParameters;
import io.tributary.config.Secrets;
import io.tributary.delta.runtime.UserCodeResources;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * The warehouse sink's JDBC work, run inside a {@link io.tributary.delta.testing.ChildFirstJob}:
 * registers the release hook as the sink does and queries through {@link
 * WarehouseConnectionProvider}. Returns {@code database=<current_database()>}.
 */
public final class WarehouseJdbcProbe implements BiFunction<Object, Map<String, String>, Map<String, String>> {
  @Override
  public Map<String, String> apply(Object userCodeClassLoader, Map<String, String> settings) {
    UserCodeResources.releaseWith((UserCodeClassLoader) userCodeClassLoader);
    CdcJobConfig config =
        CdcJobConfig.from(JobParameters.of(settings), new Secrets(k -> null, Secrets.fixed(Collections.emptyMap())));
    WarehouseConnectionProvider provider = new WarehouseConnectionProvider(config.warehouse().orElseThrow());
    try {
      Connection c = provider.getOrEstablishConnection();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_database()")) {
        rs.next();
        return Collections.singletonMap("database", rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } finally {
      provider.closeConnection();
    }
  }
}
